import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which processing of a reminder's send job holds it while sending, so a retry after a crash can tell its own claim from a dead one's. */
export class ReminderClaimTokens1795640000000 implements MigrationInterface {
  name = 'ReminderClaimTokens1795640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` ADD \`claim_token\` varchar(100) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` DROP COLUMN \`claim_token\``);
  }
}
