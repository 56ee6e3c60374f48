import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, appConfig } from './config';

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * The validated configuration for every module. Imported as is, it reads the environment (`.env` included)
 * once per process; `ConfigModule.forRoot(config)` provides a given one instead (createApp's, so an app built
 * by a benchmark or a test runs on exactly the settings it was given).
 */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => appConfig() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
