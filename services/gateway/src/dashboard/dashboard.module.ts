import { Module, type DynamicModule } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_DIRECTORY, DashboardController } from './dashboard.controller.js';

/** apps/dashboard/dist, from this file in services/gateway/{src,dist}/dashboard/. */
export const DEFAULT_DASHBOARD_DIRECTORY = fileURLToPath(new URL('../../../../apps/dashboard/dist/', import.meta.url)).replace(/\/$/, '');

/** The web dashboard at `/`; listed last, so every other route of the gateway is matched first. */
@Module({})
export class DashboardModule {
  static forRoot(directory: string = DEFAULT_DASHBOARD_DIRECTORY): DynamicModule {
    return { module: DashboardModule, controllers: [DashboardController], providers: [{ provide: DASHBOARD_DIRECTORY, useValue: directory }] };
  }
}
