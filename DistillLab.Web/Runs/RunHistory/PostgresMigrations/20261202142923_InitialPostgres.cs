using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DistillLab.Web.Runs.RunHistory.PostgresMigrations
{
    /// <inheritdoc />
    public partial class InitialPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "epochs",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    metrics = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epochs", x => new { x.run_id, x.model, x.epoch });
                });

            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "text", nullable: false),
                    idx = table.Column<int>(type: "integer", nullable: false),
                    truth = table.Column<int>(type: "integer", nullable: false),
                    teacher = table.Column<int>(type: "integer", nullable: false),
                    teacher_conf = table.Column<double>(type: "double precision", nullable: false),
                    scratch = table.Column<int>(type: "integer", nullable: false),
                    scratch_conf = table.Column<double>(type: "double precision", nullable: false),
                    distilled = table.Column<int>(type: "integer", nullable: false),
                    distilled_conf = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => new { x.run_id, x.idx });
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    config = table.Column<string>(type: "text", nullable: false),
                    reuse_teacher = table.Column<bool>(type: "boolean", nullable: false),
                    teacher_key = table.Column<string>(type: "text", nullable: false),
                    teacher_from = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    image_size = table.Column<int>(type: "integer", nullable: true),
                    device = table.Column<string>(type: "text", nullable: true),
                    data = table.Column<string>(type: "text", nullable: true),
                    results = table.Column<string>(type: "text", nullable: true),
                    total_seconds = table.Column<double>(type: "double precision", nullable: true),
                    scratch_key = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    notes = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "studies",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    config = table.Column<string>(type: "text", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    best = table.Column<string>(type: "text", nullable: true),
                    total_seconds = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_studies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "study_entries",
                columns: table => new
                {
                    study_id = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: false),
                    setting = table.Column<string>(type: "text", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    entry = table.Column<string>(type: "text", nullable: false),
                    model_key = table.Column<string>(type: "text", nullable: true),
                    finished = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_study_entries", x => new { x.study_id, x.kind, x.seed, x.setting });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "epochs");

            migrationBuilder.DropTable(
                name: "predictions");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "studies");

            migrationBuilder.DropTable(
                name: "study_entries");
        }
    }
}
