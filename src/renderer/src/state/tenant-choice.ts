/**
 * The tenant chosen on the Bindings and Diagnostics pages, remembered while the app runs (not across restarts:
 * an operator who reopens certdesk picks the tenant they mean to change again).
 */
let chosen: string | null = null;

export function rememberedTenant(): string | null {
  return chosen;
}

export function rememberTenant(id: string | null): void {
  chosen = id;
}
