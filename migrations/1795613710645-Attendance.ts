import { MigrationInterface, QueryRunner } from 'typeorm';

export class Attendance1795613710645 implements MigrationInterface {
  name = 'Attendance1795613710645';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`attendance\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`status\` enum ('present', 'absent', 'excused') NOT NULL, \`method\` enum ('code', 'manual') NOT NULL, \`reason\` varchar(500) NULL, \`recorded_by\` bigint UNSIGNED NOT NULL, \`recorded_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_attendance_activity_user\` (\`activity_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`attendance\` ADD CONSTRAINT \`FK_dd0b658e83064c255b73f3dc12d\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`attendance\` ADD CONSTRAINT \`FK_0bedbcc8d5f9b9ec4979f519597\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`attendance\` DROP FOREIGN KEY \`FK_0bedbcc8d5f9b9ec4979f519597\``);
    await queryRunner.query(`ALTER TABLE \`attendance\` DROP FOREIGN KEY \`FK_dd0b658e83064c255b73f3dc12d\``);
    await queryRunner.query(`DROP INDEX \`uq_attendance_activity_user\` ON \`attendance\``);
    await queryRunner.query(`DROP TABLE \`attendance\``);
  }
}
