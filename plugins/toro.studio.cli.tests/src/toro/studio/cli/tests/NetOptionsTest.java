package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code --net} and {@code --forward} on toro run, test and debug, through the real {@code toro} script. */
class NetOptionsTest {
	@Test
	void eachCommandListsTheNetworkOptions() throws Exception {
		ToroScript.Result run = ToroScript.run(Map.of(), 120, "run", "--help");
		assertEquals(0, run.status(), run.all());
		assertTrue(run.out().contains("--net B          virtio-net backend: none (default), user"), run.out());
		assertTrue(run.out().contains("--forward H:G    forward 127.0.0.1:H to guest port G"), run.out());
		for (String cmd : new String[] { "test", "debug" }) {
			ToroScript.Result r = ToroScript.run(Map.of(), 120, cmd, "--help");
			assertTrue(r.out().contains("[--net user|tap:NAME|none] [--forward HOSTPORT:GUESTPORT]..."), r.all());
			assertTrue(r.out().contains("--net, --forward"), r.all());
		}
	}

	/** Each bad value: exit 2, the option and the value named, and what to write instead. */
	@Test
	void badValuesAreUsageErrorsThatSayWhatToDo() throws Exception {
		usage("--forward 8080: port forward '8080' is not HOSTPORT:GUESTPORT", "run", "--forward", "8080");
		usage("--forward 70000:80: host port 70000 is out of range; use 1 to 65535, or 0 for a free port", "run", "--forward", "70000:80");
		usage("--forward 80:x: port forward '80:x': 'x' is not a port number", "test", "--forward", "80:x");
		usage("--forward: host port 8080 is forwarded twice", "run", "--forward", "8080:80", "--forward", "8080:81");
		usage("--forward needs user networking, and --net none has none: drop --net none", "run", "--net", "none", "--forward", "0:80");
		usage("--forward needs user networking, and --net tap:tap0 has none", "debug", "--net", "tap:tap0", "--forward", "0:80");
		usage("--net slirp is not a backend; use --net user, --net tap:NAME or --net none", "run", "--net", "slirp");
		usage("--net tap needs the device's name: --net tap:NAME", "run", "--net", "tap");
		usage("--net tap:a,b: tap device name 'a,b' is not an interface name", "run", "--net", "tap:a,b");
	}

	private static void usage(String message, String... args) throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, args);
		assertEquals(2, r.status(), r.all());
		assertTrue(r.err().contains(message), "expected '" + message + "' in\n" + r.all());
	}

	/**
	 * A real run with {@code --forward 0:80}: the chosen port is reported before the console starts,
	 * and the run ends on its timeout as an idle kernel's does.
	 */
	@Test
	void aForwardOfPortZeroReportsTheChosenPort() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 240, "run", "--accel", "tcg", "--forward", "0:80", "--timeout", "5");
		assertEquals(124, r.status(), r.all());
		Matcher m = Pattern.compile("toro: forwarding tcp 127\\.0\\.0\\.1:(\\d+) to guest port 80").matcher(r.err());
		assertTrue(m.find(), r.all());
		int port = Integer.parseInt(m.group(1));
		assertTrue(port > 0 && port < 65536, r.all());
		assertTrue(r.out().contains("toro: ready"), "the kernel ran with its network device: " + r.all());
	}
}
