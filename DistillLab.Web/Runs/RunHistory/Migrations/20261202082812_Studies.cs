using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DistillLab.Web.Training.RunHistory.Migrations
{
    /// <summary>Studies (issue 10): the studies table and each study's finished teachers, baselines and trials.</summary>
    public partial class Studies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "studies",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    created = table.Column<string>(type: "TEXT", nullable: false),
                    started = table.Column<string>(type: "TEXT", nullable: true),
                    finished = table.Column<string>(type: "TEXT", nullable: true),
                    config = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    best = table.Column<string>(type: "TEXT", nullable: true),
                    total_seconds = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_studies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "study_entries",
                columns: table => new
                {
                    study_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    seed = table.Column<int>(type: "INTEGER", nullable: false),
                    setting = table.Column<string>(type: "TEXT", nullable: false),
                    ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    entry = table.Column<string>(type: "TEXT", nullable: false),
                    model_key = table.Column<string>(type: "TEXT", nullable: true),
                    finished = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "studies");

            migrationBuilder.DropTable(
                name: "study_entries");
        }
    }
}
