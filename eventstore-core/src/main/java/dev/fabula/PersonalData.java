package dev.fabula;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of an event record as personal data: the store encrypts its value with the
 * data key of the event's {@link DataSubject} before writing it, and reads it back as JSON {@code
 * null} once that subject is forgotten ({@link EventStore#forgetSubject}). The record needs one
 * component marked {@link DataSubject}; register the record with {@link
 * PersonalDataPolicy.Builder#register(Class)}.
 *
 * <pre>{@code
 * @EventType("customer-registered")
 * record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, int plan) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface PersonalData {}
