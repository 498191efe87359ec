using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnalysisVerdict : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "advice_reason",
                table: "runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "analysis_json",
                table: "runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "best_step",
                table: "runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "pattern_confidence",
                table: "runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pattern_label",
                table: "runs",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "should_stop",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_runs_project_id_pattern_label",
                table: "runs",
                columns: new[] { "project_id", "pattern_label" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_runs_project_id_pattern_label",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "advice_reason",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "analysis_json",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "best_step",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "pattern_confidence",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "pattern_label",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "should_stop",
                table: "runs");
        }
    }
}
