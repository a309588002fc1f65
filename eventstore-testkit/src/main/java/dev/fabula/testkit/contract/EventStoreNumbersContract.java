package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.BadInputChecks.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.contract.ContractEvents.Nested;
import dev.fabula.testkit.contract.ContractEvents.Numbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The number and nesting policy, the same on every backend: NaN and infinities are refused; every
 * number is stored in one canonical form (plain notation, as PostgreSQL's {@code numeric} prints
 * it: {@code 1E+400} is a 401-digit integer, {@code -0.0} is {@code 0.0}, {@code 12.50} keeps its
 * scale), so a payload reads back identically on every backend; numbers too long to read back and
 * payloads nested too deeply are refused with the limit and how to change it. Run it with a
 * subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreNumbersContract extends StoreContractSupport {

  @Test
  void refuses_nan_and_infinities_from_records_and_raw_json() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of(EventData.of(numbers(Double.NaN)))),
        "NaN",
        "/ratio");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.of(numbers(Double.NEGATIVE_INFINITY)))),
        "Infinity",
        "/ratio");
    ObjectNode nested = object();
    nested.putObject("reading").putArray("values").add(1).add(DoubleNode.valueOf(Double.POSITIVE_INFINITY));
    assertRejected(() -> appendRaw(nested), "Infinity", "/reading/values/1", "null");
    ObjectNode single = object();
    single.set("f", FloatNode.valueOf(Float.NaN));
    assertRejected(() -> appendRaw(single), "NaN", "/f");
  }

  @Test
  void stores_every_number_in_one_canonical_form() throws JsonProcessingException {
    ObjectNode payload = object();
    payload.set("huge", DecimalNode.valueOf(new BigDecimal("1E+400")));
    payload.set("thousand", DecimalNode.valueOf(new BigDecimal("1.0E+3")));
    payload.set("small", DecimalNode.valueOf(new BigDecimal("1.0E-5")));
    payload.set("tiny", DecimalNode.valueOf(new BigDecimal("1E-7")));
    payload.set("money", DecimalNode.valueOf(new BigDecimal("12.50")));
    payload.set("negativeZero", DoubleNode.valueOf(-0.0));
    payload.set("tenBillion", DoubleNode.valueOf(1.0E10));
    payload.set("tenth", FloatNode.valueOf(0.1f));
    payload.set("five", LongNode.valueOf(5));
    payload.putArray("list").add(DoubleNode.valueOf(2.5)).add(new BigDecimal("-7E+2"));

    RecordedEvent stored = appendRaw(payload);

    JsonNode expected =
        store()
            .types()
            .mapper()
            .readTree(
                "{\"huge\":1" + "0".repeat(400) + ",\"thousand\":1000,\"small\":0.000010,\"tiny\":0.0000001,"
                    + "\"money\":12.50,\"negativeZero\":0.0,\"tenBillion\":10000000000,\"tenth\":0.1,"
                    + "\"five\":5,\"list\":[2.5,-700]}");
    assertThat(stored.payload()).isEqualTo(expected);
    assertThat(stored.payload().get("money").decimalValue().scale()).isEqualTo(2);
    assertThat(stored.payload().get("huge").bigIntegerValue()).isEqualTo(BigInteger.TEN.pow(400));
    assertThat(log(store()).stream().filter(e -> e.eventId().equals(stored.eventId())))
        .singleElement()
        .extracting(RecordedEvent::payload)
        .isEqualTo(expected);
  }

  @Test
  void a_record_reads_back_its_doubles_with_negative_zero_as_zero() {
    store().append(TARGET, ExpectedVersion.any(), List.of(EventData.of(numbers(-0.0))));
    store().append(TARGET, ExpectedVersion.any(), List.of(EventData.of(numbers(1e300))));

    List<Numbers> read = store().readStream(TARGET).stream().map(e -> store().types().decode(e, Numbers.class)).toList();

    assertThat(Double.doubleToRawLongBits(read.get(0).ratio())).isEqualTo(Double.doubleToRawLongBits(0.0));
    assertThat(read.get(1).ratio()).isEqualTo(1e300);
    assertThat(read.get(1).precise()).isEqualTo(new BigDecimal("3.14159265358979323846264338327950288"));
  }

  @Test
  void refuses_a_number_too_long_to_read_back_in_plain_notation() {
    ObjectNode fits = object();
    fits.set("n", DecimalNode.valueOf(new BigDecimal("9E+999")));
    assertThat(appendRaw(fits).payload().get("n").bigIntegerValue().toString()).hasSize(1000);

    ObjectNode exponent = object();
    exponent.set("n", DecimalNode.valueOf(new BigDecimal("1E+999999999")));
    assertRejected(() -> appendRaw(exponent), "1E+999999999", "/n", "limit is 1000", "maxNumberLength");
    ObjectNode justOver = object();
    justOver.set("n", DecimalNode.valueOf(new BigDecimal("1E+1000")));
    assertRejected(() -> appendRaw(justOver), "1001 characters", "limit is 1000");
    ObjectNode fraction = object();
    fraction.set("n", DecimalNode.valueOf(new BigDecimal("1E-2000")));
    assertRejected(() -> appendRaw(fraction), "limit is 1000");
    ObjectNode integer = object();
    integer.put("n", BigInteger.TEN.pow(1000));
    assertRejected(() -> appendRaw(integer), "1001-digit number", "limit is 1000");
  }

  @Test
  void stores_nesting_up_to_the_limit_and_refuses_deeper_nesting() {
    ObjectNode atLimit = nested(1000);
    assertThat(appendRaw(atLimit).payload()).isEqualTo(atLimit);

    assertRejected(() -> appendRaw(nested(1001)), "nested more than 1000 levels", "the limit is 1000", "flatten");
  }

  // ---- Helpers

  /** A JSON object whose innermost container is {@code depth} levels deep, the root counted. */
  private ObjectNode nested(int depth) {
    ObjectNode root = object();
    ObjectNode current = root;
    for (int level = 2; level <= depth; level++) {
      current = current.putObject("a");
    }
    current.put("leaf", 1);
    return root;
  }

  private static Numbers numbers(double ratio) {
    return new Numbers(
        1,
        5_000_000_000L,
        ratio,
        0.25f,
        new BigDecimal("12.50"),
        new BigDecimal("3.14159265358979323846264338327950288"),
        new BigInteger("123456789012345678901234567890"),
        true,
        List.of("a"),
        Map.of("k", 1),
        new Nested("n", List.of(1L)),
        null);
  }

  private ObjectNode object() {
    return store().types().mapper().createObjectNode();
  }

  /** Appends {@code payload} as a raw event to a stream of its own and returns it as stored. */
  private RecordedEvent appendRaw(ObjectNode payload) {
    String stream = "numbers-" + UUID.randomUUID();
    store().append(stream, ExpectedVersion.noStream(), List.of(EventData.json("contract-raw", 1, payload)));
    return store().readStream(stream).get(0);
  }

  private void assertRejected(
      ThrowingCallable call, String... fragments) {
    BadInputChecks.assertRejected(store(), call, InvalidInputException.class, fragments);
  }
}
