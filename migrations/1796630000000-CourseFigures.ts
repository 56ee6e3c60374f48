import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The department report's kept figures (course_figure_bases, course_branch_figures, course_unit_cells), counted
 * for every course from its summaries as CourseFiguresRepository.recount counts them.
 */
export class CourseFigures1796630000000 implements MigrationInterface {
  name = 'CourseFigures1796630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`course_figure_bases\` (\`course_id\` bigint UNSIGNED NOT NULL, \`required_total\` int UNSIGNED NOT NULL, \`required_credit_hours\` decimal(6,1) NOT NULL, \`starts_at\` datetime(3) NOT NULL, PRIMARY KEY (\`course_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`course_branch_figures\` (\`course_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`enrolled\` int NOT NULL DEFAULT '0', \`completed\` int NOT NULL DEFAULT '0', \`required_done\` bigint NOT NULL DEFAULT '0', \`credit_tenths\` bigint NOT NULL DEFAULT '0', PRIMARY KEY (\`course_id\`, \`unit_id\`, \`branch_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`course_unit_cells\` (\`course_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`kind\` tinyint UNSIGNED NOT NULL, \`bucket\` bigint NOT NULL, \`learners\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`course_id\`, \`unit_id\`, \`kind\`, \`bucket\`)) ENGINE=InnoDB`);
    await queryRunner.query(
      `INSERT INTO course_figure_bases (course_id, required_total, required_credit_hours, starts_at)
       SELECT c.id, (SELECT COUNT(*) FROM activities a WHERE a.course_id = c.id AND a.required = 1 AND a.archived_at IS NULL), c.required_credit_hours, c.starts_at
         FROM courses c`,
    );
    const contributions = `SELECT s.course_id, COALESCE(s.unit_id, 0) AS unit_id, COALESCE(s.branch_id, 0) AS branch_id, s.completed,
             LEAST(s.required_done, b.required_total) AS required_done, ROUND(10 * LEAST(s.credit_hours, b.required_credit_hours)) AS credit_tenths,
             FLOOR(s.credit_hours) AS b1,
             CASE WHEN s.completed = 1 THEN FLOOR(TIMESTAMPDIFF(SECOND, b.starts_at, s.completed_at) / 604800) END AS b2,
             CEIL(100 * COALESCE(CASE WHEN b.required_total > 0 THEN LEAST(1, s.required_done / b.required_total) END,
                                 LEAST(1, s.credit_hours / NULLIF(b.required_credit_hours, 0)), s.completed)) AS b3,
             CASE WHEN s.completed = 0 THEN TIMESTAMPDIFF(MICROSECOND, '2000-01-01', s.first_missing_due_at) DIV 1000 END AS b4
        FROM course_progress s JOIN course_figure_bases b ON b.course_id = s.course_id WHERE s.active = 1`;
    await queryRunner.query(
      `INSERT INTO course_branch_figures (course_id, unit_id, branch_id, enrolled, completed, required_done, credit_tenths)
       SELECT c.course_id, c.unit_id, c.branch_id, COUNT(*), SUM(c.completed), SUM(c.required_done), SUM(c.credit_tenths)
         FROM (${contributions}) c GROUP BY c.course_id, c.unit_id, c.branch_id`,
    );
    const bucket = `CASE k.kind WHEN 1 THEN c.b1 WHEN 2 THEN c.b2 WHEN 3 THEN c.b3 ELSE c.b4 END`;
    await queryRunner.query(
      `INSERT INTO course_unit_cells (course_id, unit_id, kind, bucket, learners)
       SELECT c.course_id, c.unit_id, k.kind, ${bucket} AS bucket, COUNT(*)
         FROM (${contributions}) c JOIN (SELECT 1 AS kind UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k
        WHERE ${bucket} IS NOT NULL GROUP BY c.course_id, c.unit_id, k.kind, bucket`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`course_unit_cells\``);
    await queryRunner.query(`DROP TABLE \`course_branch_figures\``);
    await queryRunner.query(`DROP TABLE \`course_figure_bases\``);
  }
}
