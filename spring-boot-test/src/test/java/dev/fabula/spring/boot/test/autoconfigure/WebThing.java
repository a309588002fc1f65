package dev.fabula.spring.boot.test.autoconfigure;

import org.springframework.stereotype.Component;

/** A component of the web layer: the slice leaves it out. */
@Component
class WebThing {}
