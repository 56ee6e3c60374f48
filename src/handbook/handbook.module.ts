import { Module } from '@nestjs/common';

/** The branch's work handbook (一册): its records (工作纪实) of what it held, reviewed by the unit. */
@Module({})
export class HandbookModule {}
