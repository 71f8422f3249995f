package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Endpoints;
import toro.studio.qemu.Machine;
import toro.studio.qemu.QemuArgv;
import toro.studio.qemu.QemuConfig;

class QemuArgvTest {
	static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
	static final Endpoints E = Endpoints.in(Path.of("/tmp/toro-qemu-x"), 4444);

	static List<String> argv(QemuConfig c) {
		return QemuArgv.build(QEMU, c, E);
	}

	/** @return the value after {@code option}, failing when the option is absent. */
	static String after(List<String> a, String option) {
		int i = a.indexOf(option);
		assertTrue(i >= 0 && i + 1 < a.size(), option + " missing in " + a);
		return a.get(i + 1);
	}

	@Test
	void defaultsBootMicrovmWithEverythingWired() {
		List<String> a = argv(QemuConfig.defaults(Path.of("/k/toro.elf")).withAccel(Accel.TCG));
		assertEquals(QEMU.toString(), a.get(0));
		assertEquals("microvm,pit=off,pic=off,rtc=off", after(a, "-machine"), "microvm without the devices that keep QEMU busy while idle");
		assertEquals("tcg", after(a, "-accel"));
		assertEquals("1", after(a, "-smp"));
		assertEquals("128", after(a, "-m"));
		assertEquals("/k/toro.elf", after(a, "-kernel"));
		for (String flag : List.of("-nodefaults", "-no-user-config", "-no-reboot"))
			assertTrue(a.contains(flag), flag);
		assertEquals("none", after(a, "-display"));
		assertTrue(a.contains("isa-debug-exit,iobase=0xf4,iosize=0x04"));
		assertEquals(List.of("-chardev", "socket,id=com1,path=/tmp/toro-qemu-x/com1.sock,server=on,wait=on", "-serial", "chardev:com1",
				"-chardev", "socket,id=com2,path=/tmp/toro-qemu-x/com2.sock,server=on,wait=on", "-device", "isa-serial,chardev=com2,index=1",
				"-chardev", "socket,id=qmp,path=/tmp/toro-qemu-x/qmp.sock,server=on,wait=on", "-mon", "chardev=qmp,mode=control"),
				a.subList(a.indexOf("-chardev"), a.indexOf("-mon") + 2));
		assertFalse(a.contains("-append"), "no empty command line");
		assertFalse(a.contains("-S"));
		assertFalse(a.contains("-gdb"));
		assertFalse(a.contains("-s"), "never QEMU's -s: it listens on every interface");
		assertFalse(a.contains("-d"));
	}

	/** The default stub: a Unix socket chardev in the private directory, gdb attached to it; no TCP. */
	@Test
	void theDefaultGdbStubIsAUnixSocketChardev() {
		List<String> a = QemuArgv.build(Path.of("qemu-system-x86_64"), QemuConfig.defaults(Path.of("/k/t.elf")).withGdbStub(true),
				Endpoints.in(Path.of("/tmp/toro-qemu-x"), 0));
		int i = a.indexOf("socket,id=gdb,path=/tmp/toro-qemu-x/gdb.sock,server=on,wait=off");
		assertTrue(i > 0 && a.get(i - 1).equals("-chardev"), a.toString());
		assertEquals("chardev:gdb", after(a, "-gdb"));
		assertTrue(a.stream().noneMatch(x -> x.startsWith("tcp:")), a.toString());
		assertTrue(a.contains("-S"));
	}

	@Test
	void everyOptionReachesArgv() {
		QemuConfig c = QemuConfig.defaults(Path.of("/k/t.elf")).withMachine(Machine.Q35).withCpus(4).withMemoryMiB(256)
				.withAccel(Accel.KVM).withAppend("telemetry=20 idle=poll").withExtraArgs(List.of("-icount", "shift=0"))
				.withGdbStub(true).withWhyDidItDie(true);
		List<String> a = argv(c);
		assertEquals("q35", after(a, "-machine"));
		assertEquals("kvm", after(a, "-accel"));
		assertEquals("4", after(a, "-smp"));
		assertEquals("256", after(a, "-m"));
		assertEquals("telemetry=20 idle=poll", after(a, "-append"));
		assertEquals("tcp:127.0.0.1:4444", after(a, "-gdb"));
		assertTrue(a.contains("-S"));
		assertEquals("int,cpu_reset", after(a, "-d"));
		assertEquals("/tmp/toro-qemu-x/qemu-debug.log", after(a, "-D"));
		assertEquals(List.of("-icount", "shift=0"), a.subList(a.size() - 2, a.size()));
	}

	@Test
	void autoAccelResolvesToWhatThisHostHas() {
		List<String> a = argv(QemuConfig.defaults(Path.of("/k")));
		Path kvm = Path.of("/dev/kvm");
		String expected = Files.isReadable(kvm) && Files.isWritable(kvm) ? "kvm" : "tcg";
		assertEquals(expected, after(a, "-accel"), "auto must pick KVM exactly when /dev/kvm is read-write for us");
	}

	@Test
	void detectReadsTheDeviceItIsGiven(@TempDir Path dir) throws IOException {
		assertEquals(Accel.TCG, Accel.detect(dir.resolve("no-such-kvm")), "a missing device means TCG");
		Path rw = Files.createFile(dir.resolve("kvm"));
		assertEquals(Accel.KVM, Accel.detect(rw), "a device we can open read-write means KVM");
	}

	@Test
	void commasInSocketPathsAreDoubled() {
		Endpoints e = Endpoints.in(Path.of("/tmp/a,b"), -1);
		List<String> a = QemuArgv.build(QEMU, QemuConfig.defaults(Path.of("/k")), e);
		assertTrue(a.contains("socket,id=com1,path=/tmp/a,,b/com1.sock,server=on,wait=on"), a.toString());
	}

	@Test
	void aStubWithoutAPortIsRefused() {
		QemuConfig c = QemuConfig.defaults(Path.of("/k")).withGdbStub(true);
		assertThrows(IllegalArgumentException.class, () -> QemuArgv.build(QEMU, c, Endpoints.in(Path.of("/tmp/x"), -1)));
	}

	@Test
	void badValuesAreRefusedWithTheirName() {
		QemuConfig c = QemuConfig.defaults(Path.of("/k"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withCpus(0)).getMessage().contains("cpus"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withMemoryMiB(1)).getMessage().contains("memory"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Machine.parse("vax")).getMessage().contains("microvm"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Accel.parse("hvf")).getMessage().contains("tcg"));
		assertEquals(Machine.PC, Machine.parse("PC"));
		assertEquals(Accel.AUTO, Accel.parse("auto"));
		assertEquals(List.of(), c.withExtraArgs(null).extraArgs());
		assertEquals(Collections.emptyList(), c.extraArgs());
	}
}
