import { eq } from 'drizzle-orm'
import type { Config } from '../config'
import type { Services } from '../services'
import type { Account } from './accounts'
import type { GithubUser } from './github-oauth'

/** The account a GitHub user signs in to, made on first sign-in; listed logins become admins. */
export async function accountForGithubUser(
  services: Pick<Services, 'accounts' | 'config'>,
  user: GithubUser,
): Promise<Account> {
  const { accounts, config } = services
  const admin = isAdminLogin(config, user.login)
  const existing = await accounts.findByGithubId(user.id)
  if (!existing) {
    return accounts.create({
      name: user.name,
      email: user.email,
      githubId: user.id,
      githubLogin: user.login,
      isAdmin: admin,
    })
  }
  const changes = {
    githubLogin: user.login,
    ...(admin && !existing.isAdmin ? { isAdmin: true } : {}),
  }
  return (await accounts.update(existing.id, changes)) ?? existing
}

function isAdminLogin(config: Pick<Config, 'ADMIN_GITHUB_LOGINS'>, login: string) {
  return config.ADMIN_GITHUB_LOGINS.some((name) => name.toLowerCase() === login.toLowerCase())
}

/**
 * A name-only account for local runs: the same name signs in to the same account, so keys
 * survive signing out. It claims only accounts that local sign-in made, never one made by an
 * admin or by GitHub sign-in that happens to carry the same name.
 */
export async function localAccount(
  services: Pick<Services, 'accounts' | 'db'>,
  name: string,
): Promise<Account> {
  const found = await findLocal(services, name)
  if (found) return found

  try {
    return await services.accounts.create({ name, localName: name })
  } catch (error) {
    // Two first sign-ins with one name race to the unique index; the loser takes the winner's.
    const winner = await findLocal(services, name)
    if (winner) return winner
    throw error
  }
}

async function findLocal(services: Pick<Services, 'db'>, name: string) {
  const { db } = services
  const t = db.t.accounts
  const [found] = await db.orm.select().from(t).where(eq(t.localName, name)).limit(1)
  return found
}
