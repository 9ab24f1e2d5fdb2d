using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DistillLab.Web.Training.RunHistory.Migrations
{
    /// <summary>The schema the hand-written SQL of earlier versions created (tables, columns, types and keys alike).
    /// A file they wrote is recorded as having this migration instead of running it: RunHistorySchema.</summary>
    public partial class InitialRunHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "epochs",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    model = table.Column<string>(type: "TEXT", nullable: false),
                    epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    metrics = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epochs", x => new { x.run_id, x.model, x.epoch });
                });

            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    run_id = table.Column<string>(type: "TEXT", nullable: false),
                    idx = table.Column<int>(type: "INTEGER", nullable: false),
                    truth = table.Column<int>(type: "INTEGER", nullable: false),
                    teacher = table.Column<int>(type: "INTEGER", nullable: false),
                    teacher_conf = table.Column<double>(type: "REAL", nullable: false),
                    scratch = table.Column<int>(type: "INTEGER", nullable: false),
                    scratch_conf = table.Column<double>(type: "REAL", nullable: false),
                    distilled = table.Column<int>(type: "INTEGER", nullable: false),
                    distilled_conf = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => new { x.run_id, x.idx });
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<string>(type: "TEXT", nullable: false),
                    started = table.Column<string>(type: "TEXT", nullable: true),
                    finished = table.Column<string>(type: "TEXT", nullable: true),
                    config = table.Column<string>(type: "TEXT", nullable: false),
                    reuse_teacher = table.Column<bool>(type: "INTEGER", nullable: false),
                    teacher_key = table.Column<string>(type: "TEXT", nullable: false),
                    teacher_from = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    image_size = table.Column<int>(type: "INTEGER", nullable: true),
                    device = table.Column<string>(type: "TEXT", nullable: true),
                    data = table.Column<string>(type: "TEXT", nullable: true),
                    results = table.Column<string>(type: "TEXT", nullable: true),
                    total_seconds = table.Column<double>(type: "REAL", nullable: true),
                    scratch_key = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.id);
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
        }
    }
}
