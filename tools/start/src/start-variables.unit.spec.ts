import { readmeVariableProblems } from '@agentledger/testing';
import { START_VARIABLES } from './start-variables.js';

describe('npm start variables', () => {
  it('every variable npm start reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(START_VARIABLES)).toEqual([]);
  });
});
