import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795564445176 implements MigrationInterface {
  name = 'Foundation1795564445176';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`units\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`code\` varchar(50) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`IDX_cd34e4bfea359fa09d997a0b87\` (\`name\`), UNIQUE INDEX \`IDX_47635c1ab22d02fc3ebae3608b\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`branches\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`unit_id\` bigint UNSIGNED NOT NULL, \`name\` varchar(100) NOT NULL, \`code\` varchar(50) NOT NULL, \`kind\` enum ('staff', 'student') NOT NULL DEFAULT 'staff', \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_branches_unit_name\` (\`unit_id\`, \`name\`), UNIQUE INDEX \`IDX_9c06cbb83feb2f0be6263bd47e\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`users\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`username\` varchar(64) NOT NULL, \`name\` varchar(100) NOT NULL, \`email\` varchar(254) NULL, \`phone\` varchar(32) NULL, \`role\` enum ('secretary', 'instructor', 'admin') NOT NULL, \`branch_id\` bigint UNSIGNED NULL, \`unit_id\` bigint UNSIGNED NULL, \`password_hash\` varchar(255) NOT NULL, \`must_change_password\` tinyint NOT NULL DEFAULT 0, \`initial_password_expires_at\` datetime(3) NULL, \`token_version\` int UNSIGNED NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, \`last_login_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_users_branch\` (\`branch_id\`), INDEX \`idx_users_role_unit\` (\`role\`, \`unit_id\`), UNIQUE INDEX \`IDX_fe0bb3f6520ee0469504521e71\` (\`username\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`branches\` ADD CONSTRAINT \`FK_ba8b024c4e3e5aac5fa78e68235\` FOREIGN KEY (\`unit_id\`) REFERENCES \`units\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD CONSTRAINT \`FK_5a58f726a41264c8b3e86d4a1de\` FOREIGN KEY (\`branch_id\`) REFERENCES \`branches\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD CONSTRAINT \`FK_b94ecc6be926a5d23aa7791ec8a\` FOREIGN KEY (\`unit_id\`) REFERENCES \`units\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` DROP FOREIGN KEY \`FK_b94ecc6be926a5d23aa7791ec8a\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP FOREIGN KEY \`FK_5a58f726a41264c8b3e86d4a1de\``);
    await queryRunner.query(`ALTER TABLE \`branches\` DROP FOREIGN KEY \`FK_ba8b024c4e3e5aac5fa78e68235\``);
    await queryRunner.query(`DROP INDEX \`IDX_fe0bb3f6520ee0469504521e71\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`idx_users_role_unit\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`idx_users_branch\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`IDX_9c06cbb83feb2f0be6263bd47e\` ON \`branches\``);
    await queryRunner.query(`DROP INDEX \`uq_branches_unit_name\` ON \`branches\``);
    await queryRunner.query(`DROP TABLE \`branches\``);
    await queryRunner.query(`DROP INDEX \`IDX_47635c1ab22d02fc3ebae3608b\` ON \`units\``);
    await queryRunner.query(`DROP INDEX \`IDX_cd34e4bfea359fa09d997a0b87\` ON \`units\``);
    await queryRunner.query(`DROP TABLE \`units\``);
  }
}
