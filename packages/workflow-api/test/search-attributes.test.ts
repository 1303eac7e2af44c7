import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SA, SEARCH_ATTRIBUTES } from '../src';

const ROOT = path.resolve(__dirname, '../../..');
/** The list as TypeScript reads it, `Name=Type` as the temporal CLI takes it. */
const fromTypeScript = SEARCH_ATTRIBUTES.map(({ name, type }) => `${name}=${type}`);

describe('the search attributes are listed once (search-attributes.json)', () => {
  it('gives every listed attribute a typed key, and no other', () => {
    expect(Object.values(SA).map((key) => key.name)).toEqual(SEARCH_ATTRIBUTES.map((a) => a.name));
    expect(fromTypeScript).toEqual([
      'InvoiceId=Keyword',
      'CustomerId=Keyword',
      'OrderStatus=Keyword',
      'PaymentMethod=Keyword',
      'AmountIdr=Int',
    ]);
  });

  it('is the list infra/temporal/temporal.sh registers on the dev server', () => {
    const printed = execFileSync(
      'bash',
      [path.join(ROOT, 'infra/temporal/temporal.sh'), 'search-attributes'],
      {
        encoding: 'utf8',
      },
    );
    expect(printed.trim().split('\n')).toEqual(fromTypeScript);
  });

  it("is the list docker-compose's temporal-setup registers", () => {
    // The setup step's own shell, with the file where compose mounts it and `temporal` only echoing.
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const step = compose.slice(compose.indexOf('  temporal-setup:'), compose.indexOf('  temporal-ui:'));
    const script = step
      .slice(step.indexOf('- >-') + '- >-'.length, step.indexOf('\n    restart:'))
      .replace(/\n {8}/g, '\n')
      .replace(/\$\$/g, '$')
      .replaceAll('/etc/quickcart/search-attributes.json', path.join(ROOT, SOURCE));
    expect(step).toContain(`./${SOURCE}:/etc/quickcart/search-attributes.json:ro`);
    const created = execFileSync(
      'sh',
      ['-c', `temporal() { [ "$3" = create ] && echo "$7=$9"; true; }\n${script}`],
      { encoding: 'utf8' },
    );
    expect(created.trim().split('\n')).toEqual(fromTypeScript);
  });
});

const SOURCE = 'packages/workflow-api/src/search-attributes.json';
