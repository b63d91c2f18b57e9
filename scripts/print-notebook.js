#!/usr/bin/env node
// Prints an executed notebook as text: each code cell's source, then its outputs.
'use strict';
const fs = require('node:fs');

const notebook = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const text = (value) => (Array.isArray(value) ? value.join('') : value ?? '');

for (const cell of notebook.cells) {
  if (cell.cell_type !== 'code') continue;
  console.log(`\nIn [${cell.execution_count ?? ' '}]:`);
  console.log(text(cell.source).replace(/^/gm, '    '));
  for (const output of cell.outputs) {
    if (output.output_type === 'stream') process.stdout.write(text(output.text));
    else if (output.output_type === 'error') console.log(output.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, ''));
    else if (output.output_type === 'execute_result') console.log(`Out[${output.execution_count}]: ${text(output.data['text/plain'])}`);
    else if (output.data) console.log(text(output.data['text/plain']));
  }
}
