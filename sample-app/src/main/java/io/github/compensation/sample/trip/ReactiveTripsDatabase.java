package io.github.compensation.sample.trip;

import io.r2dbc.spi.ConnectionFactory;

/**
 * The R2DBC database of the reactive booking, wrapped so that it is not a {@code ConnectionFactory} bean: Spring Boot
 * backs off its JDBC {@code DataSource} when one exists, and the rest of the sample needs that.
 *
 * @param connections the connection factory
 */
public record ReactiveTripsDatabase(ConnectionFactory connections) {
}
