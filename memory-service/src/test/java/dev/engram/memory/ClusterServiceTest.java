package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.events.ClusterChange;
import dev.engram.events.ClusterChanged;
import dev.engram.events.Topics;
import dev.engram.memory.cluster.ClusterPass;
import dev.engram.memory.service.ClusterService;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClusterServiceTest {

  static final String DB = "engram_memory_test";

  @Inject ClusterService clusters;

  static String clusterOf(String user, String memoryId) {
    return as(user).get("/api/v1/memories/" + memoryId).then().extract().path("clusterId");
  }

  List<ClusterPass.Change> pass(String user) {
    return clusters.run(user).await().atMost(Duration.ofSeconds(30));
  }

  @Test
  void similarMemoriesShareAClusterWithALabel() {
    String user = Api.newUser("clusters");
    String a = Api.create(user, "My tomato plants in the garden need watering every morning");
    String b = Api.create(user, "The garden tomato plants got watered this morning");
    String c = Api.create(user, "The quarterly tax return is due at the end of April");
    String clusterA = clusterOf(user, a);
    String clusterB = clusterOf(user, b);
    String clusterC = clusterOf(user, c);
    assertThat(clusterA).isEqualTo(clusterB).isNotEqualTo(clusterC);

    pass(user);
    as(user)
        .get("/api/v1/clusters/" + clusterA)
        .then()
        .statusCode(200)
        .body("cluster.size", org.hamcrest.Matchers.equalTo(2))
        .body(
            "cluster.label",
            org.hamcrest.Matchers.matchesPattern(".*(tomato|garden|plants|watering).*"))
        .body("cluster.stability", notNullValue())
        .body("members", hasSize(2));
    as(Api.newUser("other")).get("/api/v1/clusters/" + clusterA).then().statusCode(404);
  }

  @Test
  void aDeletedMemoryLeavesItsClusterAndAnEmptyClusterGoes() {
    String user = Api.newUser("shrink");
    String a = Api.create(user, "The sourdough starter needs feeding twice a day");
    String b = Api.create(user, "Fed the sourdough starter with rye flour today");
    String cluster = clusterOf(user, a);
    assertThat(clusterOf(user, b)).isEqualTo(cluster);
    pass(user);
    as(user).get("/api/v1/clusters/" + cluster).then().body("cluster.size", equalTo(2));

    as(user).delete("/api/v1/memories/" + a).then().statusCode(204);
    // at once, before any pass
    as(user)
        .get("/api/v1/clusters/" + cluster)
        .then()
        .statusCode(200)
        .body("cluster.size", equalTo(1))
        .body("members", hasSize(1));
    List<ClusterPass.Change> changes = pass(user);
    assertThat(changes)
        .extracting(ClusterPass.Change::clusterId)
        .doesNotContain(java.util.UUID.fromString(cluster));
    assertThat(
            TestDatabase.queryLong(
                DB, "select changes from memory_cluster where id = ?::uuid", cluster))
        .isZero();

    as(user).delete("/api/v1/memories/" + b).then().statusCode(204);
    as(user).get("/api/v1/clusters/" + cluster).then().body("cluster.size", equalTo(0));
    assertThat(pass(user))
        .anySatisfy(
            c -> {
              assertThat(c.clusterId().toString()).isEqualTo(cluster);
              assertThat(c.change()).isEqualTo(ClusterChange.REMOVED);
            });
    as(user).get("/api/v1/clusters/" + cluster).then().statusCode(404);
    as(user).get("/api/v1/clusters").then().body("", hasSize(0));
  }

  @Test
  void clustersWhoseCentroidsConvergeAreMerged() {
    String user = Api.newUser("merge");
    String a = Api.create(user, "Booked flights to Tokyo for the spring trip");
    String b = Api.create(user, "The electricity bill doubled this winter");
    String clusterA = clusterOf(user, a);
    String clusterB = clusterOf(user, b);
    // the second cluster's centroid drifts onto the first one's
    TestDatabase.execute(
        DB,
        "update memory_cluster set centroid = (select centroid from memory_cluster where id ="
            + " ?::uuid), changes = 1 where id = ?::uuid",
        clusterA,
        clusterB);

    List<ClusterPass.Change> changes = pass(user);
    assertThat(changes).extracting(ClusterPass.Change::change).contains(ClusterChange.MERGED);
    as(user)
        .get("/api/v1/clusters")
        .then()
        .body("", hasSize(1))
        .body("[0].size", org.hamcrest.Matchers.equalTo(2));
    assertThat(
            TestDatabase.queryLong(
                DB, "select count(distinct cluster_id) from memory where user_id = ?", user))
        .isEqualTo(1);
    var events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read ->
                    read.stream()
                        .anyMatch(
                            e ->
                                e.data() instanceof ClusterChanged c
                                    && c.change() == ClusterChange.MERGED),
                Duration.ofSeconds(30));
    assertThat(events)
        .anyMatch(e -> e.data() instanceof ClusterChanged c && c.change() == ClusterChange.MERGED);
  }

  @Test
  void aDispersedClusterIsSplit() {
    String user = Api.newUser("split");
    String[] texts = {
      "Practised scales on the piano for an hour",
      "Learned a new Chopin nocturne on the piano",
      "The piano teacher praised my left hand",
      "Changed the oil and filters on the motorbike",
      "The motorbike chain needs tightening",
      "Replaced the motorbike brake pads"
    };
    String first = null;
    for (String text : texts) {
      String id = Api.create(user, text);
      first = first == null ? id : first;
    }
    String cluster = clusterOf(user, first);
    // force everything into one cluster, as if it had drifted into mixing two topics
    TestDatabase.execute(
        DB, "update memory set cluster_id = ?::uuid where user_id = ?", cluster, user);
    TestDatabase.execute(
        DB, "delete from memory_cluster where user_id = ? and id <> ?::uuid", user, cluster);
    TestDatabase.execute(
        DB, "update memory_cluster set size = 6, changes = 6 where id = ?::uuid", cluster);

    List<ClusterPass.Change> changes = pass(user);
    assertThat(changes).extracting(ClusterPass.Change::change).contains(ClusterChange.SPLIT);
    as(user).get("/api/v1/clusters").then().body("", hasSize(greaterThanOrEqualTo(2)));
    assertThat(
            TestDatabase.queryLong(
                DB,
                "select count(distinct cluster_id) from memory where user_id = ? and search_text like"
                    + " '%piano%'",
                user))
        .isEqualTo(1);
    assertThat(
            TestDatabase.queryLong(
                DB,
                "select count(*) from memory p join memory m on p.cluster_id = m.cluster_id where"
                    + " p.user_id = ? and p.search_text like '%piano%' and m.search_text like"
                    + " '%motorbike%'",
                user))
        .isZero();
  }
}
