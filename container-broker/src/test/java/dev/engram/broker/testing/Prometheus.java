package dev.engram.broker.testing;

import static io.restassured.RestAssured.given;

/** Reads the running broker's metrics as Prometheus scrapes them ({@code /q/metrics}). */
public final class Prometheus {

  private Prometheus() {}

  /**
   * The sum of the samples of the series {@code name} whose labels contain {@code label} (every
   * sample when {@code label} is empty; 0 when there is none).
   */
  public static double sum(String name, String label) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return dev.engram.testing.Prometheus.sum(text, name, label);
  }
}
