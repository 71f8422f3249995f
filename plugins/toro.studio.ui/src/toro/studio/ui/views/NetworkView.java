package toro.studio.ui.views;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

import toro.studio.launch.CoreModelSource;
import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.NetInterface;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.Sample;

/**
 * The Network view: the kernel's network devices (from the telemetry's IFACE frames; their number only while
 * stopped), each
 * core's network counters and rates, and the open TCP connections with their state, for the launch
 * selected in the Debug view: live from telemetry while the kernel runs, from gdb reads of
 * {@code toro_net_stats} and {@code toro_tcp_conns} while a debug launch is stopped.
 */
public final class NetworkView extends ViewPart {
	/** The view's id. */
	public static final String ID = "toro.studio.ui.views.network";

	private Label status;
	private TableViewer cores, conns;
	private SashForm sash;
	private SourceTracker tracker;
	private List<NetView> shownCores = List.of();
	private List<ConnSample> shownConns = List.of();

	@Override
	public void createPartControl(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		status = new Label(parent, SWT.NONE);
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		status.setText("No Toro launch yet: run a kernel (Run As > Toro Kernel).");
		sash = new SashForm(parent, SWT.VERTICAL);
		sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		cores = table(sash);
		this.<NetView>column(cores, "Core", 60, SWT.LEFT, n -> "cpu " + n.cpu());
		this.<NetView>column(cores, "Rx pkt/s", 80, SWT.RIGHT, n -> rate(n.rxPacketsPerSec()));
		this.<NetView>column(cores, "Tx pkt/s", 80, SWT.RIGHT, n -> rate(n.txPacketsPerSec()));
		this.<NetView>column(cores, "Requests/s", 90, SWT.RIGHT, n -> rate(n.requestsPerSec()));
		this.<NetView>column(cores, "Conns", 60, SWT.RIGHT, n -> Integer.toString(n.connections()));
		this.<NetView>column(cores, "Rx frames", 90, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().rxPackets()));
		this.<NetView>column(cores, "Rx bytes", 100, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().rxBytes()));
		this.<NetView>column(cores, "Tx frames", 90, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().txPackets()));
		this.<NetView>column(cores, "Tx bytes", 100, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().txBytes()));
		this.<NetView>column(cores, "Rx drops", 80, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().rxDrops()));
		this.<NetView>column(cores, "Tx drops", 80, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().txDrops()));
		this.<NetView>column(cores, "IRQs", 80, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().irqs()));
		this.<NetView>column(cores, "Retransmits", 90, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().retransmits()));
		this.<NetView>column(cores, "Accepts", 80, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().tcpAccepts()));
		this.<NetView>column(cores, "Requests", 90, SWT.RIGHT, n -> Long.toUnsignedString(n.totals().requests()));
		conns = table(sash);
		this.<ConnSample>column(conns, "Slot", 50, SWT.RIGHT, c -> Integer.toString(c.slot()));
		this.<ConnSample>column(conns, "State", 110, SWT.LEFT, c -> c.state().name());
		this.<ConnSample>column(conns, "Core", 60, SWT.RIGHT, c -> Integer.toString(c.cpu()));
		this.<ConnSample>column(conns, "Local", 150, SWT.LEFT, ConnSample::local);
		this.<ConnSample>column(conns, "Remote", 150, SWT.LEFT, ConnSample::remote);
		this.<ConnSample>column(conns, "Rx bytes", 100, SWT.RIGHT, c -> Long.toUnsignedString(c.rxBytes()));
		this.<ConnSample>column(conns, "Tx bytes", 100, SWT.RIGHT, c -> Long.toUnsignedString(c.txBytes()));
		sash.setWeights(2, 3);
		tracker = new SourceTracker(this, sash, this::show);
	}

	private static TableViewer table(Composite parent) {
		TableViewer v = new TableViewer(parent, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
		v.getTable().setHeaderVisible(true);
		v.getTable().setLinesVisible(true);
		v.setContentProvider(ArrayContentProvider.getInstance());
		return v;
	}

	@SuppressWarnings("unchecked")
	private <T> void column(TableViewer v, String title, int width, int align, Function<T, String> text) {
		TableViewerColumn c = new TableViewerColumn(v, align);
		c.getColumn().setText(title);
		c.getColumn().setWidth(width);
		c.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((T) element);
			}
		});
	}

	/** Shows the source's current network data (UI thread). */
	private void show(CoreModelSource source) {
		CoreModel m = source.coreModel();
		Sample last = m.last();
		shownCores = m.net();
		shownConns = m.connections();
		cores.setInput(shownCores);
		conns.setInput(shownConns);
		status.setText(statusOf(last, shownConns.size()));
	}

	/** The line above the tables: the devices, the connection count, and what the kernel left out. */
	private static String statusOf(Sample last, int connections) {
		if (last == null)
			return "No telemetry sample yet.";
		if (last.nets().isEmpty())
			return "No network data: no network device and no network traffic counted (or a version-1 telemetry stream).";
		String devices = last.netdevs() == 0 ? "no network device (counters only)"
				: last.interfaces().isEmpty() ? last.netdevs() + " network device" + (last.netdevs() == 1 ? "" : "s")
						: String.join(", ", last.interfaces().stream().map(NetworkView::describe).toList());
		String open = connections + " TCP slot" + (connections == 1 ? "" : "s") + " in use";
		String omitted = last.connsOmitted() == 0 ? "" : ", " + last.connsOmitted() + " more not sent by the kernel (over its cap)";
		return devices + "; " + open + omitted + ".";
	}

	/** "net0 52:54:00:12:34:56 mtu 1500 on cpu 0 (virtio-net (mmio v2))". */
	private static String describe(NetInterface i) {
		return i.name() + " " + i.mac() + " mtu " + i.mtu() + " on cpu " + i.cpu() + (i.kind().isEmpty() ? "" : " (" + i.kind() + ")");
	}

	private static String rate(double perSec) {
		return String.format(Locale.ROOT, "%.0f", perSec);
	}

	/** The per-core rows on show (for tests). */
	public List<NetView> cores() {
		return shownCores;
	}

	/** The connections on show (for tests). */
	public List<ConnSample> connections() {
		return shownConns;
	}

	/** The status line on show (for tests). */
	public String status() {
		return status.getText();
	}

	/** The view's top control (for screenshots). */
	public Control control() {
		return sash.getParent();
	}

	@Override
	public void setFocus() {
		cores.getControl().setFocus();
	}

	@Override
	public void dispose() {
		if (tracker != null)
			tracker.dispose();
		super.dispose();
	}
}
