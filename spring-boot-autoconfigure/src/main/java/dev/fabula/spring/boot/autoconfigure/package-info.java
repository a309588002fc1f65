/**
 * Spring Boot auto-configuration of Fabula: the event store on the application's {@code
 * DataSource}, joined to Spring's transactions, configured by {@code fabula.*} properties.
 */
@NullMarked
package dev.fabula.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
