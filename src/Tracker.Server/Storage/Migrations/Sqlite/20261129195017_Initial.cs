using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_points",
                columns: table => new
                {
                    series_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: true),
                    time_ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "metric_rollups",
                columns: table => new
                {
                    series_id = table.Column<long>(type: "INTEGER", nullable: false),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    bucket = table.Column<long>(type: "INTEGER", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    last_step = table.Column<long>(type: "INTEGER", nullable: false),
                    last_value = table.Column<double>(type: "REAL", nullable: true),
                    last_time_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    min_value = table.Column<double>(type: "REAL", nullable: true),
                    max_value = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_rollups", x => new { x.series_id, x.level, x.bucket });
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    created_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    analysis_defaults_json = table.Column<string>(type: "TEXT", nullable: true),
                    mlflow_name = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    mlflow_tags_json = table.Column<string>(type: "TEXT", nullable: true),
                    mlflow_updated_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    mlflow_deleted_ms = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    project_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    last_used_ms = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_api_keys_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    group_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    notes = table.Column<string>(type: "TEXT", nullable: true),
                    config_json = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    heartbeat_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    pattern_label = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    pattern_confidence = table.Column<double>(type: "REAL", nullable: true),
                    should_stop = table.Column<bool>(type: "INTEGER", nullable: false),
                    advice_reason = table.Column<string>(type: "TEXT", nullable: true),
                    best_step = table.Column<long>(type: "INTEGER", nullable: true),
                    analysis_json = table.Column<string>(type: "TEXT", nullable: true),
                    mlflow_tags_json = table.Column<string>(type: "TEXT", nullable: true),
                    mlflow_user_id = table.Column<string>(type: "TEXT", maxLength: 250, nullable: true),
                    mlflow_deleted_ms = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_runs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiment_jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    spec_json = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    cancel_requested = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    started_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    finished_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    lease_until_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiment_jobs", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiment_jobs_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metric_series",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    first_step = table.Column<long>(type: "INTEGER", nullable: false),
                    last_step = table.Column<long>(type: "INTEGER", nullable: false),
                    last_value = table.Column<double>(type: "REAL", nullable: true),
                    last_time_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    min_value = table.Column<double>(type: "REAL", nullable: true),
                    min_step = table.Column<long>(type: "INTEGER", nullable: true),
                    max_value = table.Column<double>(type: "REAL", nullable: true),
                    max_step = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_series", x => x.id);
                    table.ForeignKey(
                        name: "FK_metric_series_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_batches",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    point_count = table.Column<int>(type: "INTEGER", nullable: false),
                    received_ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_batches", x => new { x.run_id, x.seq });
                    table.ForeignKey(
                        name: "FK_run_batches_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    time_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    from_value = table.Column<string>(type: "TEXT", nullable: true),
                    to_value = table.Column<string>(type: "TEXT", nullable: true),
                    message = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_run_events_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_tags",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    tag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_tags", x => new { x.run_id, x.tag });
                    table.ForeignKey(
                        name: "FK_run_tags_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_project_id",
                table: "api_keys",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiment_jobs_run_id",
                table: "experiment_jobs",
                column: "run_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiment_jobs_state_id",
                table: "experiment_jobs",
                columns: new[] { "state", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_metric_points_series_id_step_time_ms_value",
                table: "metric_points",
                columns: new[] { "series_id", "step", "time_ms", "value" });

            migrationBuilder.CreateIndex(
                name: "IX_metric_series_key_last_value",
                table: "metric_series",
                columns: new[] { "key", "last_value" });

            migrationBuilder.CreateIndex(
                name: "IX_metric_series_run_id_key",
                table: "metric_series",
                columns: new[] { "run_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_mlflow_name",
                table: "projects",
                column: "mlflow_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_name",
                table: "projects",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_run_events_run_id_id",
                table: "run_events",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_run_tags_tag",
                table: "run_tags",
                column: "tag");

            migrationBuilder.CreateIndex(
                name: "IX_runs_project_id_created_ms",
                table: "runs",
                columns: new[] { "project_id", "created_ms" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_project_id_pattern_label",
                table: "runs",
                columns: new[] { "project_id", "pattern_label" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_state_heartbeat_ms",
                table: "runs",
                columns: new[] { "state", "heartbeat_ms" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "experiment_jobs");

            migrationBuilder.DropTable(
                name: "metric_points");

            migrationBuilder.DropTable(
                name: "metric_rollups");

            migrationBuilder.DropTable(
                name: "metric_series");

            migrationBuilder.DropTable(
                name: "run_batches");

            migrationBuilder.DropTable(
                name: "run_events");

            migrationBuilder.DropTable(
                name: "run_tags");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "projects");
        }
    }
}
