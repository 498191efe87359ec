using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MlflowCompat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "mlflow_deleted_ms",
                table: "runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "mlflow_tags_json",
                table: "runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "mlflow_user_id",
                table: "runs",
                type: "character varying(250)",
                maxLength: 250,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "mlflow_deleted_ms",
                table: "projects",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "mlflow_name",
                table: "projects",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "mlflow_tags_json",
                table: "projects",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "mlflow_updated_ms",
                table: "projects",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_mlflow_name",
                table: "projects",
                column: "mlflow_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_projects_mlflow_name",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "mlflow_deleted_ms",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "mlflow_tags_json",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "mlflow_user_id",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "mlflow_deleted_ms",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "mlflow_name",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "mlflow_tags_json",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "mlflow_updated_ms",
                table: "projects");
        }
    }
}
