// The names the reports' filters offer (programmes, campaigns, brands, regions, stores). The
// server's lists for those who read the server; on a device, the campaigns it holds (the
// façade's `campaigns`), and the server's lists when it can be reached, else the ids of the
// user's own scope — a report computed offline still filters by them.
import { refs } from '../central/refs.js';

const byName = (a, b) => String(a.name || a.id).localeCompare(String(b.name || b.id));

async function serverItems(app, path) {
  const r = await app.call('api', { path });
  return r.ok ? r.value.body.items : null;
}

// {programmes, campaigns, brands, regions, stores}: each [{id, name, …}], sorted by name.
export async function filterLists(app, source) {
  const scope = (app.status && app.status.user && app.status.user.scope) || {};
  const ref = async (c, fallback) => {
    const r = await refs(app, c);
    return r.ok ? r.value : (fallback || []).map((id) => ({ id, name: id }));
  };
  const [brands, regions, stores] = await Promise.all([ref('brands', scope.brands), ref('regions', scope.regions), ref('stores', scope.stores)]);
  let campaigns, programmes;
  if (source === 'server') {
    [programmes, campaigns] = await Promise.all([serverItems(app, '/api/v1/programmes?limit=500'), serverItems(app, '/api/v1/campaigns?limit=500')]);
  } else {
    const held = await app.call('campaigns', {});
    campaigns = held.ok ? held.value : [];
    programmes = await serverItems(app, '/api/v1/programmes?limit=500');
    if (!programmes) {
      // Offline: the programmes the held campaigns belong to, named by their id.
      const ids = [...new Set(campaigns.map((c) => c.programme).filter(Boolean))];
      programmes = ids.map((id) => ({ id, name: id }));
    }
  }
  return {
    programmes: (programmes || []).sort(byName), campaigns: (campaigns || []).sort(byName),
    brands: brands.sort(byName), regions: regions.sort(byName), stores: stores.sort(byName),
  };
}
