// liaison_pg_cluster: starts or stops the PostgreSQL test cluster of a CTest run
// (support/pg_cluster.hpp). CTest's fixture tests pg.cluster_start and pg.cluster_stop run it;
// every test labelled pg finds the cluster through LIAISON_TEST_PG_DIR.
//
//   liaison_pg_cluster start <dir>   make <dir> and leave a cluster running in it
//   liaison_pg_cluster stop <dir>    stop the cluster in <dir> and remove the folder
#include <cstdio>
#include <stdexcept>
#include <string>

#include "support/pg_cluster.hpp"

int main(int argc, char** argv) {
    const std::string command = argc == 3 ? argv[1] : "";
    if (command != "start" && command != "stop") {
        std::fprintf(stderr, "usage: %s start|stop <absolute folder>\n", argv[0]);
        return 2;
    }
    try {
        if (command == "start")
            liaison::test::PgCluster::start_in(argv[2]);
        else
            liaison::test::PgCluster::stop_in(argv[2]);
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "liaison_pg_cluster %s %s: %s\n", command.c_str(), argv[2], e.what());
        return 1;
    }
    std::printf("liaison_pg_cluster %s %s: done\n", command.c_str(), argv[2]);
    return 0;
}
