using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

// Made with (from src/Tracker.Server):
//   dotnet ef migrations add Artifacts --context SqliteTrackerDbContext --output-dir Storage/Migrations/Sqlite

namespace Tracker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Artifacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "artifacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    path = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    blob_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    metric_value = table.Column<double>(type: "REAL", nullable: true),
                    created_ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_artifacts", x => x.id);
                    table.ForeignKey(
                        name: "FK_artifacts_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_artifacts_run_id_kind_step",
                table: "artifacts",
                columns: new[] { "run_id", "kind", "step" });

            migrationBuilder.CreateIndex(
                name: "IX_artifacts_run_id_path",
                table: "artifacts",
                columns: new[] { "run_id", "path" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "artifacts");
        }
    }
}
