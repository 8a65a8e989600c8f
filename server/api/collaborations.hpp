// A campaign's collaborations as the central workspace works them (docs/PROGRAMMES.md,
// "The pipeline"; core/query/pipeline.hpp P1–P5):
//
//   POST /api/v1/collaborations/<id>/moves {"to":"vetted","note"?}
//        -> {"collaboration":{entity},"pipeline":PIPELINE}
//        One move (P2): the step and the status, one group through the hub; `staff` the
//        caller's linked staff member when she has exactly one. A move the pipeline does not
//        offer from the status the central record holds is refused 409 `conflict`, naming the
//        moves it offers (P1); a device offline makes its moves on its own view, and the
//        trail flags them (P4). Any role whose scope covers the collaboration (404 otherwise).
//   GET  /api/v1/collaborations/<id>/pipeline
//        -> PIPELINE = {"status","next":[…],"out_of_step","flagged",
//                       "steps":[{"id","from","to","at","staff","note","flag"}…]}
//   GET  /api/v1/campaigns/<id>/board
//        -> {"campaign":{entity},"statuses":[…],"total","items":[{"collaboration":{entity},
//            "person":{"id","name"},"status","next":[…],"flagged","out_of_step"}…],
//            "totals":{"fee":{"EUR":<minor units>…},"in_kind_value":{…}}}
//        The campaign's visible collaborations the caller's scope covers (at most
//        kMaxBoardItems), in pipeline order then by person name; amounts summed per currency
//        (never converted).
//
// Thread-safety: may be called from many threads (the backend serialises the store).
#pragma once

#include <cstddef>

#include "core/model/ids.hpp"
#include "server/api/reply.hpp"
#include "server/api/rest.hpp"
#include "server/auth/auth.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {

inline constexpr std::size_t kMaxBoardItems = 5000;

HttpReply move_collaboration(SyncBackend& backend, const Principal& who,
                             const core::Id128& collaboration, const RestRequest& req);
HttpReply collaboration_pipeline(SyncBackend& backend, const Principal& who,
                                 const core::Id128& collaboration);
HttpReply campaign_board(SyncBackend& backend, const Principal& who, const core::Id128& campaign,
                         const RestRequest& req);

}  // namespace liaison::server
