import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CopyButton } from '../components/forms'

export interface DocsProps {
  ctx: PortalContext
  /** `…/v1`, the address clients use. */
  baseUrl: string
  model: string
}

export function examples(baseUrl: string, model: string) {
  return [
    {
      id: 'curl',
      title: 'docs.curlTitle',
      code: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $SARGALAY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Mingalaba!"}]}'`,
    },
    {
      id: 'node',
      title: 'docs.nodeTitle',
      code: `import OpenAI from 'openai'

const client = new OpenAI({
  baseURL: '${baseUrl}',
  apiKey: process.env.SARGALAY_API_KEY,
})

const reply = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Mingalaba!' }],
})
console.log(reply.choices[0].message.content)`,
    },
    {
      id: 'python',
      title: 'docs.pythonTitle',
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["SARGALAY_API_KEY"])

reply = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Mingalaba!"}],
)
print(reply.choices[0].message.content)`,
    },
    {
      id: 'vercel',
      title: 'docs.vercelTitle',
      code: `import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { streamText } from 'ai'

const sargalay = createOpenAICompatible({
  name: 'sargalay',
  baseURL: '${baseUrl}',
  apiKey: process.env.SARGALAY_API_KEY,
  includeUsage: true,
})

const result = streamText({ model: sargalay('${model}'), prompt: 'Mingalaba!' })
for await (const text of result.textStream) process.stdout.write(text)`,
    },
  ] satisfies { id: string; title: MessageKey; code: string }[]
}

/** Opening a top-up from a program: the API lives beside `/v1`, not under it. */
function topupExample(baseUrl: string) {
  const origin = baseUrl.replace(/\/v1$/, '')
  return `curl ${origin}/billing/topups \\
  -H "Authorization: Bearer $SARGALAY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: topup-1" \\
  -d '{"amount_mmk": 5000}'

curl ${origin}/billing/topups/ORDER_ID \\
  -H "Authorization: Bearer $SARGALAY_API_KEY"`
}

/** Quick start with the real base address, four examples and the billing rules. */
export function DocsPage({ ctx, baseUrl, model }: DocsProps) {
  const { t } = ctx.i18n
  return (
    <>
      <h1 safe>{t('docs.title')}</h1>
      <section class="card">
        <h2 safe>{t('docs.quickStartTitle')}</h2>
        <p safe>{t('docs.quickStart')}</p>
        <div class="muted" safe>
          {t('docs.baseUrl')}
        </div>
        <div class="secret">
          <code id="base-url" translate="no" safe>
            {baseUrl}
          </code>
          <CopyButton ctx={ctx} target="base-url" />
        </div>
        <ol>
          <li>
            <a href="/keys" safe>
              {t('docs.step1')}
            </a>
          </li>
          <li>
            <a href="/topup" safe>
              {t('docs.step2')}
            </a>
          </li>
          <li safe>{t('docs.step3')}</li>
        </ol>
        <p class="muted" safe>
          {t('docs.keysReplace')}
        </p>
        <p>
          <a href="/docs" safe>
            {t('docs.apiReference')}
          </a>
        </p>
        {examples(baseUrl, model).map((example) => (
          <>
            <div class="code-head">
              <h3 safe>{t(example.title)}</h3>
              <CopyButton ctx={ctx} target={`example-${example.id}`} />
            </div>
            <pre translate="no">
              <code id={`example-${example.id}`} safe>
                {example.code}
              </code>
            </pre>
          </>
        ))}
      </section>
      <section class="card">
        <h2 safe>{t('docs.billingTitle')}</h2>
        <p safe>{t('docs.billing1')}</p>
        <p safe>{t('docs.billing2')}</p>
        <p safe>{t('docs.billing3')}</p>
        <h2 safe>{t('docs.disconnectTitle')}</h2>
        <p safe>{t('docs.disconnect')}</p>
      </section>
      <section class="card">
        <div class="code-head">
          <h2 safe>{t('docs.topupTitle')}</h2>
          <CopyButton ctx={ctx} target="example-topup" />
        </div>
        <p safe>{t('docs.topup')}</p>
        <pre translate="no">
          <code id="example-topup" safe>
            {topupExample(baseUrl)}
          </code>
        </pre>
      </section>
    </>
  )
}
