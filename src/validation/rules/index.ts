import { ACCOUNT_RULES } from './account-rules';
import { APP_RULES } from './app-rules';
import { GuardrailRule } from './engine';
import { ORGANIZATION_RULES } from './organization-rules';
import { AppFacts } from '../facts';

/** Every rule an app is checked against: app-wide, then organization level, then account level. */
export const ALL_RULES: readonly GuardrailRule<AppFacts>[] = [...APP_RULES, ...ORGANIZATION_RULES, ...ACCOUNT_RULES];
