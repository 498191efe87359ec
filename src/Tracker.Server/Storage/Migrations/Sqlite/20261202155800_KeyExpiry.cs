using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

// API keys may expire (issue 14). Made with:
//   dotnet ef migrations add KeyExpiry --context SqliteTrackerDbContext --output-dir Storage/Migrations/Sqlite

namespace Tracker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "expires_ms",
                table: "api_keys",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "expires_ms",
                table: "api_keys");
        }
    }
}
