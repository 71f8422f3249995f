package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.Ports;

class PortsTest {
	@Test
	void freePortIsOnLoopbackAndBindable() throws Exception {
		int p = Ports.freeLoopbackPort();
		assertTrue(p > 0 && p < 65536);
		assertFalse(Ports.inUse(p));
		try (ServerSocket s = new ServerSocket()) {
			s.bind(new InetSocketAddress("127.0.0.1", p));
			assertTrue(Ports.inUse(p), "a bound port is reported in use");
		}
		assertEquals("127.0.0.1", Ports.loopback().getHostAddress());
	}

	@Test
	void successiveAllocationsDiffer() throws Exception {
		try (ServerSocket held = new ServerSocket()) {
			held.bind(new InetSocketAddress("127.0.0.1", Ports.freeLoopbackPort()));
			assertNotEquals(held.getLocalPort(), Ports.freeLoopbackPort());
		}
	}
}
