using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProjectAnalysisDefaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "analysis_defaults_json",
                table: "projects",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "analysis_defaults_json",
                table: "projects");
        }
    }
}
