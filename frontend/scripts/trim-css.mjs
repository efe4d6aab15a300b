// Leaves out the Designsystemet components Vern's SPA does not use, so the browser does
// not download them. A rule goes only when every one of its selectors names an unused
// component; everything else (tokens, base styles, the components in use) is kept as is.
// Usage: node trim-css.mjs <in.css> <out.css>
import fs from 'node:fs';
import postcss from 'postcss';

const UNUSED = [
  'avatar', 'avatar-stack', 'badge', 'breadcrumbs', 'card', 'checkbox', 'chip', 'combobox',
  'details', 'dialog', 'divider', 'dropdown', 'file-upload', 'floating',
  'pagination', 'popover', 'search', 'skeleton', 'suggestion', 'tabs',
  'textfield', 'togglegroup', 'toggle-group', 'tooltip',
];
const unused = new RegExp(`\\.ds-(${UNUSED.join('|')})(?![a-z-])`);

const [input, output] = process.argv.slice(2);
const root = postcss.parse(fs.readFileSync(input, 'utf8'));
let removed = 0;
root.walkRules((rule) => {
  if (rule.selectors && rule.selectors.every((s) => unused.test(s))) {
    rule.remove();
    removed += 1;
  }
});
root.walkAtRules((at) => {
  if (at.nodes && at.nodes.length === 0) at.remove();
});
fs.writeFileSync(output, root.toString());
console.error(`trim-css: ${removed} rules of unused components left out`);
