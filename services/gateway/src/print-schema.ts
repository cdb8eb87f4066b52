// Prints the GraphQL SDL: `npm run schema` writes it to schema.graphql.
import 'reflect-metadata';
import { buildGatewaySchema, printGatewaySchema } from './graphql/schema.js';

process.stdout.write(printGatewaySchema(await buildGatewaySchema()));
