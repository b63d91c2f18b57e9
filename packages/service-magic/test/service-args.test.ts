import { parseServiceArgs } from '../src/magics/service-args';
import { ServiceError } from '../src';

test('a service name alone gets the defaults', () => {
  expect(parseServiceArgs('web')).toEqual({ service: 'web', shell: 'sh', env: [] });
});

test('every option, with shell-like quoting', () => {
  expect(parseServiceArgs(`db -u postgres -s bash -w '/var/lib/my data' -e A=1 -e "B=two words" --timeout 2.5`)).toEqual({
    service: 'db',
    user: 'postgres',
    shell: 'bash',
    workingDir: '/var/lib/my data',
    env: ['A=1', 'B=two words'],
    timeoutSeconds: 2.5,
  });
});

test.each([
  ['', /name the service/],
  ['web db', /one service only/],
  ['web -x', /unknown option -x/],
  ['web -u', /-u needs a value/],
  ['web -e NOVALUE', /KEY=VAL/],
  ['web --timeout 0', /greater than 0/],
  ['web --timeout 3000000', /at most 2147483/],
  ['web --timeout Infinity', /at most 2147483/],
  ['"web', /unclosed "/],
  ['../etc', /not a service name/],
  ['web;rm', /not a service name/],
])('%j is a usage error', (line, message) => {
  let error: unknown;
  try {
    parseServiceArgs(line);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).ename).toBe('UsageError');
  expect((error as ServiceError).evalue).toMatch(message);
  expect((error as ServiceError).traceback[1]).toMatch(/^Usage: %%service NAME/);
});
