// The values the app's pickers offer, in the order shown, keyed "kind.field" like the core's
// record model (core/model/schema.cpp). Each list holds exactly the core's values for that
// field: tests/wasm/facade_test.mjs compares them with the façade's `choices`, and
// tests/web/i18n_test.mjs checks that every value has a label in both languages.
export const CHOICES = {
  'influencer.tier': ['top', 'expert', 'employee', 'advocate', 'prospect'],
  'influencer.status': ['active', 'do_not_contact', 'inactive'],
  'influencer.consent': ['unknown', 'granted', 'refused', 'withdrawn'],
  'influencer.consent_basis': ['consent', 'contract', 'legitimate_interest', 'legal_obligation'],
  'influencer.vetting': ['pending', 'approved', 'approved_with_reserve', 'rejected'],
  'influencer.roles': ['customer', 'prospect', 'journalist', 'supplier', 'employee', 'creator', 'expert', 'advocate'],
  'interaction.touchpoint': ['store', 'event', 'email', 'social', 'phone', 'customer_service', 'gifting', 'loan', 'paid_collaboration', 'meeting', 'other'],
  // Retail first: most contacts are logged in stores.
  'interaction.department': ['retail', 'pr', 'social', 'marketing', 'customer_service', 'events', 'legal', 'procurement', 'hr', 'other'],
  'interaction.tone': ['positive', 'neutral', 'negative'],
  // A handle's platform: the same list as a content's (tests/core/validate_test.cpp).
  // A collaboration's type and contract (the programmes room, web/app/programmes/).
  'collaboration.type': ['paid', 'gifted', 'loan', 'affiliate', 'seeding'],
  'collaboration.contract_status': ['none', 'draft', 'sent', 'signed', 'ended'],
  'content.platform': ['instagram', 'tiktok', 'youtube', 'x', 'facebook', 'linkedin', 'twitch', 'pinterest', 'snapchat', 'threads', 'bluesky', 'blog', 'podcast', 'press', 'other'],
};

// The longest text the forms' fields may hold, in characters, keyed like CHOICES; the same as
// the core's (the façade's `limits`, compared by tests/wasm/facade_test.mjs). The forms count
// against them as people type and refuse before saving; they never cut what was typed.
export const LIMITS = {
  'influencer.name': 200,
  'influencer.email': 254,
  'influencer.phone': 64,
  'influencer.notes': 4000,
  'influencer.tags': 64,
  'interaction.summary': 2000,
  'interaction.follow_up': 500,
};
