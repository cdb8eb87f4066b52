import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from './api-keys.js';
import { CurrentCaller } from './gateway-context.js';

@ObjectType('Caller', { description: 'Who an API key speaks for: its tenant and its role.' })
export class CallerType implements Caller {
  @Field(() => String) tenant!: string;
  @Field(() => String, { description: 'viewer or admin; only admin keys may call mutations.' }) role!: Caller['role'];
  @Field(() => String, { description: "First 8 hex digits of the key's SHA-256: names the key without revealing it." }) keyId!: string;
}

/** `me`: lets a client (the dashboard) show admins their forms without trying a mutation first. */
@Resolver(() => CallerType)
export class CallerResolver {
  @Query(() => CallerType, { description: 'The caller of this request: the API key’s tenant and role.' })
  me(@CurrentCaller() caller: Caller): CallerType {
    return { tenant: caller.tenant, role: caller.role, keyId: caller.keyId };
  }
}
