package dev.fabula;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the component of an event record that names the data subject (a customer id, a user id):
 * the person whose data key encrypts the record's {@link PersonalData} components. Its value is
 * stored as it is (it is how the key is found) and must be a non-empty string or an integer in
 * every appended event.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface DataSubject {}
