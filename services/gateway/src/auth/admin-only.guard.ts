import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { gatewayError } from '../graphql/errors.js';
import { callerOf, type GatewayContext } from './gateway-context.js';

/** `@UseGuards(AdminOnly)`: the field is for admin keys; a viewer key gets FORBIDDEN. */
@Injectable()
export class AdminOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = callerOf(GqlExecutionContext.create(context).getContext<GatewayContext>());
    if (caller.role !== 'admin') throw gatewayError('FORBIDDEN', 'This operation needs an admin API key');
    return true;
  }
}
