// Words of the app in French and English, and localised dates and numbers (Intl).
//
// The language comes from the person's choice (remembered in localStorage), else from
// navigator.languages (the first of fr/en found), else English; dates and numbers follow the
// browser's locale of that language (formatLocale). t(key, params) fills
// {name} placeholders with the given values as plain text; callers put the result in
// textContent, never in innerHTML.

const LANGS = ['en', 'fr'];
const STORE_KEY = 'liaison.lang';

const en = {
  'app.name': 'Liaison',
  'ws.loading': 'Loading the workspace…', 'ws.loadFailed': 'The workspace could not be loaded: {message}',
  'admin.nav': 'Administration', 'nav.workspace': 'Workspace', 'nav.search': 'Search', 'nav.new': 'New influencer', 'nav.events': 'Events', 'nav.reports': 'Reports', 'nav.settings': 'Settings',
  'settings.title': 'Settings of this device', 'settings.cap': 'Contact-pressure cap (contacts in 30 days)',
  'settings.capHelp': 'A card warns “contacted often lately” when all departments together have contacted the person this many times or more in the last 30 days.',
  'settings.capInvalid': 'The cap is a whole number from 1 to 100.', 'settings.save': 'Save', 'settings.saved': 'Saved: cards warn from {cap} contacts in 30 days.',
  'nav.signout': 'Sign out', 'nav.skip': 'Skip to content', 'lang.label': 'Language',
  'signin.title': 'Sign in to this device',
  'signin.intro': 'Paste the device token your administrator gave you, or open the sign-in link they sent.',
  'signin.token': 'Device token', 'signin.submit': 'Sign in', 'signin.busy': 'Checking the token…',
  'signin.bad': 'This does not look like a device token (it starts with lsn_).',
  'signin.linkUsed': 'This sign-in link was already used. Ask your administrator for a new one.',
  'signin.linkExpired': 'This sign-in link has expired. Ask your administrator for a new one.',
  'signin.linkInvalid': 'This sign-in link is not valid. Ask your administrator for a new one.',
  'sync.pending': '{n} changes waiting to be sent', 'sync.pending1': '1 change waiting to be sent',
  'sync.nothing': 'Everything is sent', 'sync.last': 'Last sync {when}', 'sync.never': 'Not synced yet',
  'sync.now': 'Sync now', 'sync.running': 'Syncing…', 'sync.offline': 'Offline — your work is kept on this device',
  'sync.received': '{n} received',
  'search.title': 'Find an influencer', 'search.label': 'Name, handle, e-mail or phone',
  'search.none': 'Nobody found for “{q}”.', 'search.hint': 'Type at least one letter to search.',
  'search.possible': 'Possibly this person (her e-mail or phone is not on this device): check the name with her.',
  'card.directory': 'Directory record: this person belongs to another store or region. Her e-mail, phone and notes are not on this device, and her record is changed where she belongs. A contact you log here joins her record.',
  'dup.possible_email': 'possibly the same e-mail', 'dup.possible_phone': 'possibly the same phone',
  'search.new': 'Register a new influencer',
  'card.back': 'Back to search', 'card.log': 'Log a contact', 'card.missing': 'This person is not on this device (erased, merged away, or out of your scope).',
  'card.tier': 'Tier', 'card.status': 'Status', 'card.consent': 'Consent', 'card.owner': 'Relationship owner',
  'card.email': 'E-mail', 'card.phone': 'Phone', 'card.country': 'Country', 'card.roles': 'Roles',
  'card.handles': 'Handles', 'card.tags': 'Tags', 'card.notes': 'Notes', 'card.nobody': 'none',
  'card.lastContact': 'Last contact', 'card.lastContact.none': 'none yet',
  'card.mark': 'Logged elsewhere: the details stay with that store.',
  'card.pressureLabel': 'Contact pressure', 'card.pressure': '{n} contacts in the last {days} days (cap {cap})', 'card.pressure.one': '1 contact in the last {days} days (cap {cap})',
  'card.collabs': 'Collaborations under way', 'card.timeline': 'Timeline', 'card.timeline.empty': 'No history yet.',
  'card.content': 'Recent posts', 'card.content.metrics': 'reach {reach} · engagements {engagements}',
  'card.links': 'Tracked links', 'card.link.counts': 'clicks {clicks} · orders {conversions}',
  'ctype.paid': 'Paid', 'ctype.gifted': 'Gifted', 'ctype.loan': 'Product loan', 'ctype.affiliate': 'Affiliate', 'ctype.seeding': 'Seeding',
  'cstatus.proposed': 'Proposed', 'cstatus.vetted': 'Vetted', 'cstatus.contracted': 'Contracted', 'cstatus.live': 'Live', 'cstatus.delivered': 'Delivered',
  'cstatus.validated': 'Validated', 'cstatus.closed': 'Closed', 'cstatus.cancelled': 'Cancelled', 'cstatus.active': 'Live', 'cstatus.completed': 'Closed',
  'card.edit': 'Edit details', 'card.save': 'Save changes', 'card.saved': 'Saved.',
  'card.addTag': 'Add a tag', 'card.add': 'Add', 'card.removeTag': 'Remove tag {tag}',
  'card.merged': 'Also known under {n} merged records',
  'card.history': 'History',
  'entry.by': 'by {name}', 'entry.at': 'at {place}', 'entry.campaign': 'campaign: {name}',
  'incharge.label': 'Person in charge', 'incharge.named': 'Person in charge: {name}', 'incharge.now': '{name} is now in charge on this device.',
  'log.campaign': 'Campaign', 'log.noCampaign': 'No campaign',
  'history.title': 'History of {name}', 'history.back': 'Back to the card', 'history.loading': 'Asking the server…',
  'history.offline': 'The history is kept on the server: connect to the network to read it.',
  'history.empty': 'Nothing recorded yet.', 'history.truncated': 'Only the latest {n} changes are shown.',
  'history.who': 'Who', 'history.device': 'Device', 'history.nobody': 'nobody named', 'history.server': 'the server',
  'history.superseded': 'superseded by a later change', 'history.none': 'none',
  'op.create': 'Created', 'op.set': 'Changed', 'op.add': 'Added', 'op.remove': 'Removed', 'op.delete': 'Deleted',
  'op.merge': 'Merged', 'op.erase': 'Erased',
  'audience': '{n} followers',
  'card.warnings': 'Warnings', 'warn.do_not_contact': 'Do not contact', 'warn.active_paid_collaboration': 'Active paid collaboration — check before offering anything',
  'warn.contact_pressure': 'Contacted often lately — {n} contacts in {days} days (cap {cap})',
  'warn.consent_missing': 'No consent on record',
  'warn.objection': 'Objected to direct marketing — no marketing contact (a visit or customer service only)',
  'warn.restricted': 'Data restricted while a request is handled — no marketing contact, no new campaign',
  'card.vetting': 'Vetting', 'vetting.missing': 'Not vetted', 'vetting.passed': 'Passed, valid until {date}',
  'vetting.failed': 'Failed', 'vetting.expired': 'Expired on {date}', 'vetting.incomplete': 'Incomplete',
  'log.title': 'Log a contact with {name}', 'log.touchpoint': 'How', 'log.department': 'Department',
  'log.summary': 'Note', 'log.tone': 'Tone', 'log.followup': 'Follow-up', 'log.due': 'Follow-up due',
  'log.save': 'Save contact', 'log.cancel': 'Cancel', 'log.saved': 'Contact logged.',
  'log.notMarketing': 'Not saved: this person objected to marketing or her data is restricted. Log a visit or a customer-service contact instead.',
  'new.title': 'Register a new influencer', 'new.name': 'Full name', 'new.email': 'E-mail', 'new.phone': 'Phone',
  'new.platform': 'Platform', 'new.handle': 'Handle', 'new.audience': 'Audience (followers)', 'new.tier': 'Tier',
  'new.create': 'Create', 'new.createAnyway': 'None of these — create a new record',
  'new.dups': 'Possible duplicates: is it one of these people?', 'new.open': 'Open this card',
  'new.created': 'Influencer created.', 'new.choose': '— choose —',
  'dup.handle': 'same handle', 'dup.email': 'same e-mail', 'dup.phone': 'same phone', 'dup.name': 'similar name',
  'events.title': 'Events', 'events.none': 'No events on this device yet.', 'events.checked': '{n} checked in',
  'event.back': 'All events', 'event.count': 'checked in', 'event.find': 'Check in a guest',
  'event.searchLabel': 'Guest name, handle, e-mail or phone', 'event.checkin': 'Check in',
  'event.already': 'Already checked in', 'event.walkin': 'Register a walk-in', 'event.walkinSave': 'Register and check in',
  'event.recent': 'Checked in', 'event.undo': 'Undo', 'event.undoLabel': 'Undo check-in of {name}',
  'event.walkinBadge': 'walk-in', 'event.done': '{name} is checked in.', 'event.undone': 'Check-in undone.',
  'event.none': 'Nobody checked in yet.', 'event.unknownGuest': 'Guest registered elsewhere',
  'field.name': 'Full name', 'field.email': 'E-mail', 'field.phone': 'Phone', 'field.handles': 'Handle', 'field.tier': 'Tier',
  'field.notes': 'Notes', 'field.status': 'Status', 'field.consent': 'Consent', 'field.roles': 'Roles', 'field.tags': 'Tag',
  'field.touchpoint': 'How', 'field.department': 'Department', 'field.summary': 'Note', 'field.tone': 'Tone',
  'field.follow_up': 'Follow-up', 'field.follow_up_due': 'Follow-up due', 'field.campaign': 'Campaign',
  'invalid.required': '{field} is required: please fill it in.',
  'invalid.too_long': '{field} is too long: {n} characters, at most {max}. Please shorten it; nothing was saved.',
  'invalid.bad_format': '{field}: this is not a valid value.',
  'invalid.unknown_value': '{field}: please choose one of the values offered.',
  'invalid.invalid_argument': '{field} holds characters that cannot be saved (such as invisible control characters). Please retype it.',
  'invalid.past': '{field} is in the past. Please choose today or a later date.',
  'fix.email': 'Type an address such as name@example.com.',
  'fix.phone': 'Type 7 to 15 digits, with + and the country code if needed, and spaces, dots or dashes if you like, e.g. +44 20 7946 0958.',
  'fix.handles': 'Type the handle alone, without spaces or ":", e.g. helene.dupont.',
  'fix.follow_up_due': 'Pick a date in the calendar.',
  'limit.count': '{n} / {max}', 'limit.over': '{n} / {max} — {over} characters too many',
  'card.followups': 'Follow-ups to do', 'card.followup.due': 'due {date}', 'card.followup.overdue': 'overdue',
  'event.unknownHint': '{n} guests are registered elsewhere (another store, region or brand): this device does not hold their records, so their names are not shown here.',
  'event.unknownHint.one': '1 guest is registered elsewhere (another store, region or brand): this device does not hold their record, so their name is not shown here.',
  'event.undoAsk': 'Undo the check-in of {name}?', 'event.undoYes': 'Yes, undo', 'event.undoYesLabel': 'Yes, undo the check-in of {name}',
  'event.undoKeep': 'No, keep it',

  'tier.top': 'Top influencer', 'tier.expert': 'Expert', 'tier.employee': 'Employee', 'tier.advocate': 'Brand advocate', 'tier.prospect': 'Prospect',
  'status.active': 'Active', 'status.do_not_contact': 'Do not contact', 'status.inactive': 'Inactive',
  'consent.unknown': 'Unknown', 'consent.granted': 'Granted', 'consent.refused': 'Refused', 'consent.withdrawn': 'Withdrawn',
  'tone.positive': 'Positive', 'tone.neutral': 'Neutral', 'tone.negative': 'Negative',
  'tp.store': 'In store', 'tp.event': 'Event', 'tp.email': 'E-mail', 'tp.social': 'Social message', 'tp.phone': 'Phone',
  'tp.customer_service': 'Customer service', 'tp.gifting': 'Gifting', 'tp.loan': 'Product loan',
  'tp.paid_collaboration': 'Paid collaboration', 'tp.meeting': 'Meeting', 'tp.other': 'Other',
  'dep.pr': 'PR', 'dep.social': 'Social media', 'dep.marketing': 'Marketing', 'dep.retail': 'Retail',
  'dep.customer_service': 'Customer service', 'dep.legal': 'Legal', 'dep.procurement': 'Procurement', 'dep.hr': 'HR',
  'dep.events': 'Events', 'dep.other': 'Other',
  'role.customer': 'Customer', 'role.prospect': 'Prospect', 'role.journalist': 'Journalist', 'role.supplier': 'Supplier',
  'role.employee': 'Employee', 'role.creator': 'Creator', 'role.expert': 'Expert', 'role.advocate': 'Advocate',
  'kind.interaction': '{touchpoint} · {department}', 'kind.checkin': 'Checked in at an event', 'kind.checkin.walkin': 'Walk-in at an event',
  'kind.collaboration': 'Collaboration ({type})', 'kind.content': 'Content on {platform}', 'kind.other': '{kind}',
  'by': 'by {name}',
  'err.network': 'The server cannot be reached. Your work is kept on this device and will be sent later.',
  'err.unauthorized': 'This device is no longer allowed to sync (the token was revoked or is wrong). Ask your administrator for a new one.',
  'err.not_signed_in': 'Please sign in first.',
  'err.invalid_argument': 'Please check the form: {message}',
  'err.not_found': 'Not found.',
  'err.forbidden': 'You are not allowed to do this here.',
  'err.rate_limited': 'The server is busy; the app will try again shortly.',
  'err.other': 'Something went wrong: {message}',
  'err.nohost': 'The app could not start its local database: {message}',
  'err.blocked': 'Liaison is open in another tab of this browser. Close it (or use that tab) to continue here.',
  'refused.link1': 'The server refused 1 change made here — see why',
  'refused.link': 'The server refused {n} changes made here — see why',
  'refused.title': 'Changes the server refused',
  'refused.intro': 'These changes were made on this device but the server did not accept them. This device has undone them and shows each record as the server holds it.',
  'refused.none': 'No refused changes.',
  'refused.unnamed': 'A record',
  'refused.what.newPerson': 'new influencer', 'refused.what.newEntry': 'new entry',
  'refused.what.edit': 'change to {fields}', 'refused.what.delete': 'deletion',
  'refused.what.merge': 'merge of duplicates', 'refused.what.erase': 'erasure (GDPR)',
  'refused.why.out_of_scope': 'This record belongs to another store or region than your account covers now.',
  'refused.why.forbidden': 'Your role may not do this; ask the central team.',
  'refused.why.conflict': 'It contradicts the record as the server holds it.',
  'refused.why.not_found': 'The server does not hold this record.',
  'refused.why.other': 'The server could not accept it.',
  'refused.server': 'Server: {message}',
  'refused.dismiss': 'I have read this',
  'update.ready': 'A new version of Liaison is ready.', 'update.apply': 'Update now',
  'update.updating': 'Updating the app… The server needs a newer version; your changes stay on this device and are sent once it has updated.',
  'update.finish': 'The server needs a newer version of the app. Your changes stay on this device. Finish what you are typing, then:',
  'update.stuck': 'The server needs a newer version of the app, and it could not be loaded. Your changes stay on this device: close every Liaison tab, connect to the network and open Liaison again.',
  'err.upgrade_required': 'This app is older than the server accepts; it updates itself. Your changes stay on this device.',
  'signout.confirm': 'Sign out? Changes not yet sent ({n}) and everything stored on this device will be deleted.',
};

const fr = {
  'app.name': 'Liaison',
  'ws.loading': 'Chargement de l’espace central…', 'ws.loadFailed': 'L’espace central n’a pas pu être chargé : {message}',
  'admin.nav': 'Administration', 'nav.workspace': 'Espace central', 'nav.search': 'Rechercher', 'nav.new': 'Nouvel influenceur', 'nav.events': 'Événements', 'nav.reports': 'Rapports', 'nav.settings': 'Réglages',
  'settings.title': 'Réglages de cet appareil', 'settings.cap': 'Plafond de sollicitation (contacts sur 30 jours)',
  'settings.capHelp': 'Une fiche avertit « beaucoup sollicité ces temps-ci » quand tous les services réunis ont contacté la personne au moins ce nombre de fois sur les 30 derniers jours.',
  'settings.capInvalid': 'Le plafond est un nombre entier de 1 à 100.', 'settings.save': 'Enregistrer', 'settings.saved': 'Enregistré : les fiches avertissent à partir de {cap} contacts sur 30 jours.',
  'nav.signout': 'Se déconnecter', 'nav.skip': 'Aller au contenu', 'lang.label': 'Langue',
  'signin.title': 'Connecter cet appareil',
  'signin.intro': 'Collez le jeton d’appareil donné par votre administrateur, ou ouvrez le lien de connexion qu’il vous a envoyé.',
  'signin.token': 'Jeton d’appareil', 'signin.submit': 'Se connecter', 'signin.busy': 'Vérification du jeton…',
  'signin.bad': 'Ce n’est pas un jeton d’appareil (il commence par lsn_).',
  'signin.linkUsed': 'Ce lien de connexion a déjà servi. Demandez-en un nouveau à votre administrateur.',
  'signin.linkExpired': 'Ce lien de connexion a expiré. Demandez-en un nouveau à votre administrateur.',
  'signin.linkInvalid': 'Ce lien de connexion n’est pas valide. Demandez-en un nouveau à votre administrateur.',
  'sync.pending': '{n} modifications en attente d’envoi', 'sync.pending1': '1 modification en attente d’envoi',
  'sync.nothing': 'Tout est envoyé', 'sync.last': 'Dernière synchro {when}', 'sync.never': 'Pas encore synchronisé',
  'sync.now': 'Synchroniser', 'sync.running': 'Synchronisation…', 'sync.offline': 'Hors ligne — votre travail reste sur cet appareil',
  'sync.received': '{n} reçues',
  'search.title': 'Trouver un influenceur', 'search.label': 'Nom, pseudo, e-mail ou téléphone',
  'search.none': 'Personne pour « {q} ».', 'search.hint': 'Tapez au moins une lettre pour chercher.',
  'search.possible': 'Peut-être cette personne (son e-mail ou son téléphone n’est pas sur cet appareil) : vérifiez le nom avec elle.',
  'card.directory': 'Fiche d’annuaire : cette personne dépend d’un autre magasin ou d’une autre région. Son e-mail, son téléphone et ses notes ne sont pas sur cet appareil, et sa fiche se modifie là où elle dépend. Un contact noté ici rejoint sa fiche.',
  'dup.possible_email': 'peut-être le même e-mail', 'dup.possible_phone': 'peut-être le même téléphone',
  'search.new': 'Enregistrer un nouvel influenceur',
  'card.back': 'Retour à la recherche', 'card.log': 'Noter un contact', 'card.missing': 'Cette personne n’est pas sur cet appareil (effacée, fusionnée, ou hors de votre périmètre).',
  'card.tier': 'Niveau', 'card.status': 'Statut', 'card.consent': 'Consentement', 'card.owner': 'Responsable de la relation',
  'card.email': 'E-mail', 'card.phone': 'Téléphone', 'card.country': 'Pays', 'card.roles': 'Rôles',
  'card.handles': 'Comptes', 'card.tags': 'Étiquettes', 'card.notes': 'Notes', 'card.nobody': 'aucun',
  'card.lastContact': 'Dernier contact', 'card.lastContact.none': 'aucun pour l’instant',
  'card.mark': 'Consigné ailleurs : le détail reste dans ce magasin.',
  'card.pressureLabel': 'Pression de contact', 'card.pressure': '{n} contacts sur les {days} derniers jours (plafond {cap})', 'card.pressure.one': '1 contact sur les {days} derniers jours (plafond {cap})',
  'card.collabs': 'Collaborations en cours', 'card.timeline': 'Historique', 'card.timeline.empty': 'Pas encore d’historique.',
  'card.content': 'Publications récentes', 'card.content.metrics': 'portée {reach} · engagements {engagements}',
  'card.links': 'Liens suivis', 'card.link.counts': 'clics {clicks} · commandes {conversions}',
  'ctype.paid': 'Rémunérée', 'ctype.gifted': 'Cadeau', 'ctype.loan': 'Prêt de produit', 'ctype.affiliate': 'Affiliation', 'ctype.seeding': 'Envoi de produits',
  'cstatus.proposed': 'Proposée', 'cstatus.vetted': 'Vérifiée', 'cstatus.contracted': 'Contractualisée', 'cstatus.live': 'En cours', 'cstatus.delivered': 'Livrée',
  'cstatus.validated': 'Validée', 'cstatus.closed': 'Clôturée', 'cstatus.cancelled': 'Annulée', 'cstatus.active': 'En cours', 'cstatus.completed': 'Clôturée',
  'card.edit': 'Modifier la fiche', 'card.save': 'Enregistrer', 'card.saved': 'Enregistré.',
  'card.addTag': 'Ajouter une étiquette', 'card.add': 'Ajouter', 'card.removeTag': 'Retirer l’étiquette {tag}',
  'card.merged': 'Regroupe aussi {n} fiches fusionnées',
  'card.history': 'Historique des modifications',
  'entry.by': 'par {name}', 'entry.at': 'à {place}', 'entry.campaign': 'campagne : {name}',
  'incharge.label': 'Personne en charge', 'incharge.named': 'Personne en charge : {name}', 'incharge.now': '{name} est maintenant en charge sur cet appareil.',
  'log.campaign': 'Campagne', 'log.noCampaign': 'Aucune campagne',
  'history.title': 'Historique de {name}', 'history.back': 'Retour à la fiche', 'history.loading': 'Demande au serveur…',
  'history.offline': 'L’historique est conservé sur le serveur : connectez-vous au réseau pour le lire.',
  'history.empty': 'Rien d’enregistré pour l’instant.', 'history.truncated': 'Seules les {n} dernières modifications sont affichées.',
  'history.who': 'Qui', 'history.device': 'Appareil', 'history.nobody': 'personne de nommé', 'history.server': 'le serveur',
  'history.superseded': 'remplacé par une modification plus récente', 'history.none': 'aucune',
  'op.create': 'Création', 'op.set': 'Modification', 'op.add': 'Ajout', 'op.remove': 'Retrait', 'op.delete': 'Suppression',
  'op.merge': 'Fusion', 'op.erase': 'Effacement',
  'audience': '{n} abonnés',
  'card.warnings': 'Alertes', 'warn.do_not_contact': 'Ne pas contacter', 'warn.active_paid_collaboration': 'Collaboration rémunérée en cours — vérifiez avant toute offre',
  'warn.contact_pressure': 'Beaucoup sollicité ces temps-ci — {n} contacts en {days} jours (plafond {cap})',
  'warn.consent_missing': 'Aucun consentement enregistré',
  'warn.objection': 'Opposée à la prospection — aucun contact marketing (visite ou service client seulement)',
  'warn.restricted': 'Données limitées le temps de traiter une demande — aucun contact marketing, aucune nouvelle campagne',
  'card.vetting': 'Vérification', 'vetting.missing': 'Non vérifiée', 'vetting.passed': 'Validée, jusqu’au {date}',
  'vetting.failed': 'Refusée', 'vetting.expired': 'Expirée le {date}', 'vetting.incomplete': 'Incomplète',
  'log.title': 'Noter un contact avec {name}', 'log.touchpoint': 'Comment', 'log.department': 'Service',
  'log.summary': 'Note', 'log.tone': 'Ton', 'log.followup': 'Suite à donner', 'log.due': 'À faire avant le',
  'log.save': 'Enregistrer le contact', 'log.cancel': 'Annuler', 'log.saved': 'Contact enregistré.',
  'log.notMarketing': 'Non enregistré : cette personne s’est opposée à la prospection ou ses données sont limitées. Notez plutôt une visite ou un contact du service client.',
  'new.title': 'Enregistrer un nouvel influenceur', 'new.name': 'Nom complet', 'new.email': 'E-mail', 'new.phone': 'Téléphone',
  'new.platform': 'Plateforme', 'new.handle': 'Pseudo', 'new.audience': 'Audience (abonnés)', 'new.tier': 'Niveau',
  'new.create': 'Créer', 'new.createAnyway': 'Aucune de ces personnes — créer une nouvelle fiche',
  'new.dups': 'Doublons possibles : est-ce l’une de ces personnes ?', 'new.open': 'Ouvrir cette fiche',
  'new.created': 'Influenceur créé.', 'new.choose': '— choisir —',
  'dup.handle': 'même pseudo', 'dup.email': 'même e-mail', 'dup.phone': 'même téléphone', 'dup.name': 'nom proche',
  'events.title': 'Événements', 'events.none': 'Aucun événement sur cet appareil pour l’instant.', 'events.checked': '{n} présents',
  'event.back': 'Tous les événements', 'event.count': 'présents', 'event.find': 'Enregistrer une arrivée',
  'event.searchLabel': 'Nom, pseudo, e-mail ou téléphone de l’invité', 'event.checkin': 'Enregistrer l’arrivée',
  'event.already': 'Déjà arrivé', 'event.walkin': 'Inscrire une personne non invitée', 'event.walkinSave': 'Inscrire et enregistrer l’arrivée',
  'event.recent': 'Arrivées', 'event.undo': 'Annuler', 'event.undoLabel': 'Annuler l’arrivée de {name}',
  'event.walkinBadge': 'sans invitation', 'event.done': 'Arrivée de {name} enregistrée.', 'event.undone': 'Arrivée annulée.',
  'event.none': 'Personne n’est encore arrivé.', 'event.unknownGuest': 'Invité enregistré ailleurs',
  'field.name': 'Nom complet', 'field.email': 'E-mail', 'field.phone': 'Téléphone', 'field.handles': 'Pseudo', 'field.tier': 'Niveau',
  'field.notes': 'Notes', 'field.status': 'Statut', 'field.consent': 'Consentement', 'field.roles': 'Rôles', 'field.tags': 'Étiquette',
  'field.touchpoint': 'Comment', 'field.department': 'Service', 'field.summary': 'Note', 'field.tone': 'Ton',
  'field.follow_up': 'Suite à donner', 'field.follow_up_due': 'À faire avant le', 'field.campaign': 'Campagne',
  'invalid.required': '« {field} » est obligatoire : merci de le remplir.',
  'invalid.too_long': '« {field} » est trop long : {n} caractères, {max} au plus. Raccourcissez-le ; rien n’a été enregistré.',
  'invalid.bad_format': '« {field} » : cette valeur n’est pas valable.',
  'invalid.unknown_value': '« {field} » : choisissez l’une des valeurs proposées.',
  'invalid.invalid_argument': '« {field} » contient des caractères impossibles à enregistrer (caractères de contrôle invisibles, par exemple). Retapez-le.',
  'invalid.past': '« {field} » est une date passée. Choisissez aujourd’hui ou une date ultérieure.',
  'fix.email': 'Tapez une adresse comme nom@exemple.fr.',
  'fix.phone': 'Tapez 7 à 15 chiffres, avec + et l’indicatif du pays si besoin, séparés ou non par des espaces, points ou tirets, par exemple +33 6 12 34 56 78.',
  'fix.handles': 'Tapez le pseudo seul, sans espace ni « : », par exemple helene.dupont.',
  'fix.follow_up_due': 'Choisissez une date dans le calendrier.',
  'limit.count': '{n} / {max}', 'limit.over': '{n} / {max} — {over} caractères en trop',
  'card.followups': 'Suites à donner', 'card.followup.due': 'avant le {date}', 'card.followup.overdue': 'en retard',
  'event.unknownHint': '{n} invités sont enregistrés ailleurs (autre boutique, région ou marque) : leurs fiches ne sont pas sur cet appareil, leurs noms ne s’affichent donc pas ici.',
  'event.unknownHint.one': '1 invité est enregistré ailleurs (autre boutique, région ou marque) : sa fiche n’est pas sur cet appareil, son nom ne s’affiche donc pas ici.',
  'event.undoAsk': 'Annuler l’arrivée de {name} ?', 'event.undoYes': 'Oui, annuler', 'event.undoYesLabel': 'Oui, annuler l’arrivée de {name}',
  'event.undoKeep': 'Non, la garder',

  'tier.top': 'Influenceur majeur', 'tier.expert': 'Expert', 'tier.employee': 'Collaborateur', 'tier.advocate': 'Ambassadeur', 'tier.prospect': 'Prospect',
  'status.active': 'Actif', 'status.do_not_contact': 'Ne pas contacter', 'status.inactive': 'Inactif',
  'consent.unknown': 'Inconnu', 'consent.granted': 'Donné', 'consent.refused': 'Refusé', 'consent.withdrawn': 'Retiré',
  'tone.positive': 'Positif', 'tone.neutral': 'Neutre', 'tone.negative': 'Négatif',
  'tp.store': 'En boutique', 'tp.event': 'Événement', 'tp.email': 'E-mail', 'tp.social': 'Message social', 'tp.phone': 'Téléphone',
  'tp.customer_service': 'Service client', 'tp.gifting': 'Cadeau', 'tp.loan': 'Prêt de produit',
  'tp.paid_collaboration': 'Collaboration rémunérée', 'tp.meeting': 'Rendez-vous', 'tp.other': 'Autre',
  'dep.pr': 'Relations presse', 'dep.social': 'Réseaux sociaux', 'dep.marketing': 'Marketing', 'dep.retail': 'Boutiques',
  'dep.customer_service': 'Service client', 'dep.legal': 'Juridique', 'dep.procurement': 'Achats', 'dep.hr': 'RH',
  'dep.events': 'Événements', 'dep.other': 'Autre',
  'role.customer': 'Client', 'role.prospect': 'Prospect', 'role.journalist': 'Journaliste', 'role.supplier': 'Fournisseur',
  'role.employee': 'Collaborateur', 'role.creator': 'Créateur', 'role.expert': 'Expert', 'role.advocate': 'Ambassadeur',
  'kind.interaction': '{touchpoint} · {department}', 'kind.checkin': 'Présent à un événement', 'kind.checkin.walkin': 'Venu sans invitation à un événement',
  'kind.collaboration': 'Collaboration ({type})', 'kind.content': 'Publication sur {platform}', 'kind.other': '{kind}',
  'by': 'par {name}',
  'err.network': 'Le serveur est injoignable. Votre travail reste sur cet appareil et sera envoyé plus tard.',
  'err.unauthorized': 'Cet appareil n’a plus le droit de se synchroniser (jeton révoqué ou erroné). Demandez-en un nouveau à votre administrateur.',
  'err.not_signed_in': 'Connectez-vous d’abord.',
  'err.invalid_argument': 'Vérifiez le formulaire : {message}',
  'err.not_found': 'Introuvable.',
  'err.forbidden': 'Vous n’avez pas le droit de faire cela ici.',
  'err.rate_limited': 'Le serveur est occupé ; l’application réessaiera bientôt.',
  'err.other': 'Un problème est survenu : {message}',
  'err.nohost': 'L’application n’a pas pu ouvrir sa base locale : {message}',
  'err.blocked': 'Liaison est ouvert dans un autre onglet de ce navigateur. Fermez-le (ou utilisez cet onglet) pour continuer ici.',
  'refused.link1': 'Le serveur a refusé 1 modification faite ici — voir pourquoi',
  'refused.link': 'Le serveur a refusé {n} modifications faites ici — voir pourquoi',
  'refused.title': 'Modifications refusées par le serveur',
  'refused.intro': 'Ces modifications ont été faites sur cet appareil mais le serveur ne les a pas acceptées. Cet appareil les a annulées et montre chaque fiche telle que le serveur la connaît.',
  'refused.none': 'Aucune modification refusée.',
  'refused.unnamed': 'Une fiche',
  'refused.what.newPerson': 'nouvel influenceur', 'refused.what.newEntry': 'nouvelle entrée',
  'refused.what.edit': 'modification de {fields}', 'refused.what.delete': 'suppression',
  'refused.what.merge': 'fusion de doublons', 'refused.what.erase': 'effacement (RGPD)',
  'refused.why.out_of_scope': 'Cette fiche relève d’un autre magasin ou d’une autre région que ceux de votre compte aujourd’hui.',
  'refused.why.forbidden': 'Votre rôle ne permet pas cette action ; adressez-vous à l’équipe centrale.',
  'refused.why.conflict': 'Elle contredit la fiche telle que le serveur la connaît.',
  'refused.why.not_found': 'Le serveur ne connaît pas cette fiche.',
  'refused.why.other': 'Le serveur n’a pas pu l’accepter.',
  'refused.server': 'Serveur : {message}',
  'refused.dismiss': 'J’ai lu',
  'update.ready': 'Une nouvelle version de Liaison est prête.', 'update.apply': 'Mettre à jour',
  'update.updating': 'Mise à jour de l’application… Le serveur demande une version plus récente ; vos modifications restent sur cet appareil et seront envoyées après la mise à jour.',
  'update.finish': 'Le serveur demande une version plus récente de l’application. Vos modifications restent sur cet appareil. Terminez votre saisie, puis :',
  'update.stuck': 'Le serveur demande une version plus récente de l’application, qui n’a pas pu être chargée. Vos modifications restent sur cet appareil : fermez tous les onglets Liaison, connectez-vous au réseau et rouvrez Liaison.',
  'err.upgrade_required': 'Cette application est plus ancienne que ce que le serveur accepte ; elle se met à jour. Vos modifications restent sur cet appareil.',
  'signout.confirm': 'Se déconnecter ? Les modifications pas encore envoyées ({n}) et tout ce qui est stocké sur cet appareil seront supprimés.',
};

const words = { en, fr };
let lang = pickInitial();

function pickInitial() {
  let saved = null;
  try { saved = localStorage.getItem(STORE_KEY); } catch { /* storage refused: use the browser's */ }
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export const languages = LANGS;
// A room of the app (web/app/central/, web/app/admin/) brings its own words, in a module named
// words.js that calls addWords({en: {…}, fr: {…}}) when it loads: the store tablet's bundle
// does not carry the words of screens it never shows (tests/web/i18n_test.mjs reads them all).
export function addWords(more) {
  for (const l of LANGS) Object.assign(words[l], more[l] || {});
}
// Every key and text of one language (a copy), for the check that both languages say everything.
export function wordsOf(language) { return { ...words[language] }; }
export function currentLang() { return lang; }
export function setLang(next) {
  if (!LANGS.includes(next)) return;
  lang = next;
  try { localStorage.setItem(STORE_KEY, next); } catch { /* not remembered, still switched */ }
  document.documentElement.lang = next;
}

// Calls `onChange(lang)` after a language chosen in another tab of this app is applied here
// (the 'storage' event of the key setLang writes).
export function onLangFromOtherTab(onChange) {
  window.addEventListener('storage', (e) => {
    if (e.key !== STORE_KEY || !LANGS.includes(e.newValue) || e.newValue === lang) return;
    lang = e.newValue;
    document.documentElement.lang = lang;
    onChange(lang);
  });
}

// The text for `key` with {placeholders} filled in; the key itself if it is unknown.
// A key with a ".one" variant uses it when params.n is 1 ("1 contact", not "1 contacts").
export function t(key, params = {}) {
  if (params.n === 1 || params.n === '1') {
    const one = words[lang][`${key}.one`];
    if (one) key = `${key}.one`;
  }
  const s = words[lang][key] ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}
// A label for an enum value (`tier`, `status`, …): the translation, else the raw value.
export function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return (words[lang][key] ?? en[key]) ? t(key) : String(value);
}

// The locale dates and numbers are written in: the browser's own (navigator.languages) when it
// is of the language shown, so an en-GB browser reads 31 Dec 2025, 14:05 and a fr-CA one
// 2025-12-31; else the language shown (words and month names must match the screen's).
export function formatLocale() {
  for (const l of navigator.languages || [navigator.language || lang]) {
    if (String(l).toLowerCase().split('-')[0] !== lang) continue;
    try { return Intl.getCanonicalLocales(l)[0]; } catch { /* not a locale tag: skip it */ }
  }
  return lang;
}

const fmtCache = new Map();
function fmt(kind, opts) {
  const loc = formatLocale();
  const k = `${loc}|${kind}|${JSON.stringify(opts)}`;
  if (!fmtCache.has(k)) fmtCache.set(k, kind === 'n' ? new Intl.NumberFormat(loc, opts) : new Intl.DateTimeFormat(loc, opts));
  return fmtCache.get(k);
}
export function formatNumber(n, compact = false) {
  return fmt('n', compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}).format(n);
}
export function formatDateTime(ms) {
  return fmt('d', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
export function formatDate(isoOrMs) {
  const d = typeof isoOrMs === 'number' ? new Date(isoOrMs) : new Date(`${isoOrMs}T12:00:00`);
  return Number.isNaN(d.getTime()) ? String(isoOrMs) : fmt('d', { dateStyle: 'medium' }).format(d);
}
// The time alone for today, the date and time otherwise.
export function formatTime(ms) {
  const d = new Date(ms);
  if (d.toDateString() !== new Date().toDateString()) return formatDateTime(ms);
  return fmt('d', { timeStyle: 'short' }).format(d);
}
// "5 minutes ago" style, falling back to the date and time after a day.
export function formatAgo(ms, now = Date.now()) {
  const s = Math.round((ms - now) / 1000);
  if (Math.abs(s) >= 86400) return formatDateTime(ms);
  const rtf = new Intl.RelativeTimeFormat(formatLocale(), { numeric: 'auto' });
  if (Math.abs(s) < 60) return rtf.format(s, 'second');
  if (Math.abs(s) < 3600) return rtf.format(Math.round(s / 60), 'minute');
  return rtf.format(Math.round(s / 3600), 'hour');
}

document.documentElement.lang = lang;
