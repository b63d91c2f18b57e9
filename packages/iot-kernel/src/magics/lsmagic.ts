import type { Magic } from './magic';
import type { KernelMagic } from './services';

export const lsmagicMagic: KernelMagic = {
  name: 'lsmagic',
  kind: 'line',
  group: 'Kernel',
  help: 'List every magic with one line of help.',
  usage: '%lsmagic',
  async run(context) {
    const groups = new Map<string, Magic[]>();
    for (const magic of context.services.magics.list()) groups.set(magic.group, [...(groups.get(magic.group) ?? []), magic]);
    const plain: string[] = [];
    const markdown: string[] = [];
    for (const [group, magics] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      plain.push(`${group}:`);
      markdown.push(`**${group}**`, '', '| magic | what it does |', '|---|---|');
      for (const magic of magics.sort((a, b) => a.name.localeCompare(b.name))) {
        plain.push(`  ${magic.usage.padEnd(32)} ${magic.help}`);
        // a | splits a table cell even inside backticks
        markdown.push(`| \`${magic.usage.replace(/\|/g, '\\|')}\` | ${magic.help.replace(/\|/g, '\\|')} |`);
      }
      plain.push('');
      markdown.push('');
    }
    const shellNote = 'Lines starting with ! run on the host shell; all other lines run on the board.';
    plain.push(shellNote);
    markdown.push(shellNote);
    context.display({ 'text/plain': plain.join('\n'), 'text/markdown': markdown.join('\n') });
  },
};
