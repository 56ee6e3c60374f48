import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage } from './s3.storage';
import { StorageDriver } from './storage';

/** Provides the configured StorageDriver (STORAGE_DRIVER=local or s3) to every module. */
@Global()
@Module({
  providers: [
    {
      provide: StorageDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): StorageDriver =>
        config.storage.driver === 's3' ? new S3Storage(config.storage.s3) : new LocalDiskStorage(config.storage.dir),
    },
  ],
  exports: [StorageDriver],
})
export class StorageModule {}
