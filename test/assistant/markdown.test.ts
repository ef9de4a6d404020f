import { describe, expect, test } from 'bun:test'
import { parseInline, parseMarkdown } from '../../src/assistant/markdown'
import { Markdown } from '../../views/assistant/markdown'

const html = async (text: string) => String(await Markdown({ text }))

describe('answers in Markdown', () => {
  test('code fences, headings, lists and paragraphs become blocks', () => {
    const text = [
      '## Cheap coders',
      'Two models fit:',
      '- **Qwen Coder**: 540 MMK',
      '- `deepseek/deepseek-chat`',
      '',
      '1. Make a key',
      '2. Call the API',
      '',
      '```python',
      'client = OpenAI(base_url="…")',
      '```',
    ].join('\n')

    expect(parseMarkdown(text)).toEqual([
      { kind: 'heading', inline: [{ kind: 'text', text: 'Cheap coders' }] },
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Two models fit:' }]] },
      {
        kind: 'list',
        ordered: false,
        items: [
          [
            { kind: 'strong', text: 'Qwen Coder' },
            { kind: 'text', text: ': 540 MMK' },
          ],
          [{ kind: 'code', text: 'deepseek/deepseek-chat' }],
        ],
      },
      {
        kind: 'list',
        ordered: true,
        items: [[{ kind: 'text', text: 'Make a key' }], [{ kind: 'text', text: 'Call the API' }]],
      },
      { kind: 'code', text: 'client = OpenAI(base_url="…")' },
    ])
  })

  test('a table keeps its header and rows; an unclosed fence runs to the end', () => {
    const text = '| model | MMK |\n|---|--:|\n| a | 1 |\n| b | 2 |\n\n```\nstill code'

    const [table, code] = parseMarkdown(text)

    expect(table).toEqual({
      kind: 'table',
      header: [[{ kind: 'text', text: 'model' }], [{ kind: 'text', text: 'MMK' }]],
      rows: [
        [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: '1' }]],
        [[{ kind: 'text', text: 'b' }], [{ kind: 'text', text: '2' }]],
      ],
    })
    expect(code).toEqual({ kind: 'code', text: 'still code' })
  })

  test('a link shows its address as text, never as a link', () => {
    expect(parseInline('See [the docs](https://example.com/x).')).toEqual([
      { kind: 'text', text: 'See the docs (https://example.com/x).' },
    ])
  })

  test('whatever HTML a model writes is escaped, in every kind of block', async () => {
    const text = [
      '<img src=x onerror=alert(1)>',
      '- **<b>bold</b>**',
      '| <i>h</i> |',
      '|---|',
      '| `<script>` |',
      '```',
      '</code></pre><script>alert(2)</script>',
      '```',
    ].join('\n')

    const out = await html(text)

    expect(out).not.toContain('<img')
    expect(out).not.toContain('<b>')
    expect(out).not.toContain('<i>')
    expect(out).not.toContain('<script>')
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(out).toContain('<strong>&lt;b&gt;bold&lt;/b&gt;</strong>')
    expect(out).toContain('<td><code>&lt;script&gt;</code></td>')
    expect(out).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;')
  })
})
