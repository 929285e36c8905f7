/**
 * A deliberately tiny markdown subset for check remediation text (ours, but rendered as text all the same):
 * fenced code blocks become <pre> blocks, `inline code` becomes <code>, blank lines split paragraphs,
 * lines starting with "- " become list items. Never produces HTML strings.
 */
export type Inline = { code: boolean; text: string };
export type Block =
  | { type: 'code'; lang: string | null; text: string }
  | { type: 'para'; inlines: Inline[] }
  | { type: 'list'; items: Inline[][] };

export function parseInline(text: string): Inline[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) {
    // an odd number of backticks: the last one is literal
    const last = parts.pop() as string;
    parts[parts.length - 1] += `\`${last}`;
  }
  return parts.map((p, i) => ({ code: i % 2 === 1, text: p })).filter((p) => p.text !== '');
}

export function parseBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ type: 'para', inlines: parseInline(para.join(' ')) });
    if (list.length) blocks.push({ type: 'list', items: list.map(parseInline) });
    para = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i++]);
      blocks.push({ type: 'code', lang: fence[1] || null, text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      if (para.length) flush();
      list.push(item[1]);
      continue;
    }
    if (list.length && /^\s+\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list.length) flush();
    para.push(line.trim());
  }
  flush();
  return blocks;
}
