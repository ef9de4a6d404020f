import { parseMarkdown, type Block, type Inline } from '../../src/assistant/markdown'

function Text({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((part) =>
        part.kind === 'code' ? (
          <code safe>{part.text}</code>
        ) : part.kind === 'strong' ? (
          <strong safe>{part.text}</strong>
        ) : (
          <span safe>{part.text}</span>
        ),
      )}
    </>
  )
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case 'code':
      return (
        <pre translate="no">
          <code safe>{block.text}</code>
        </pre>
      )
    case 'heading':
      return (
        <p>
          <strong>
            <Text parts={block.inline} />
          </strong>
        </p>
      )
    case 'list': {
      const items = block.items.map((item) => (
        <li>
          <Text parts={item} />
        </li>
      ))
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>
    }
    case 'table':
      return (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {block.header.map((cell) => (
                  <th>
                    <Text parts={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row) => (
                <tr>
                  {row.map((cell) => (
                    <td>
                      <Text parts={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
    case 'paragraph':
      return (
        <p>
          {block.lines.map((line, index) => (
            <>
              {index > 0 ? <br /> : ''}
              <Text parts={line} />
            </>
          ))}
        </p>
      )
  }
}

/** An assistant's answer as formatted, escaped HTML (src/assistant/markdown.ts says what). */
export function Markdown({ text }: { text: string }) {
  return (
    <>
      {parseMarkdown(text).map((block) => (
        <BlockView block={block} />
      ))}
    </>
  )
}
