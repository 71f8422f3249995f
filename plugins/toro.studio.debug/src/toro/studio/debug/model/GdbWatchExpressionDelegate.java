package toro.studio.debug.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IWatchExpressionDelegate;
import org.eclipse.debug.core.model.IWatchExpressionListener;
import org.eclipse.debug.core.model.IWatchExpressionResult;

/**
 * Evaluates the Expressions view's watch expressions with gdb, in the selected frame (or the top frame of the
 * selected vCPU, or globally for the target). An expression gdb rejects shows gdb's message.
 */
public final class GdbWatchExpressionDelegate implements IWatchExpressionDelegate {

    @Override
    public void evaluateExpression(String expression, IDebugElement context, IWatchExpressionListener listener) {
        IValue value = null;
        String error = null;
        DebugException exception = null;
        try {
            value = evaluate(expression, context);
        } catch (DebugException e) {
            exception = e;
            error = e.getStatus().getMessage();
        }
        listener.watchEvaluationFinished(new Result(expression, value, error, exception));
    }

    private static IValue evaluate(String expression, IDebugElement context) throws DebugException {
        if (!(context.getDebugTarget() instanceof ToroDebugTarget target) || !target.isSuspended()) {
            throw new DebugException(toro.studio.debug.ToroDebug.error("Expressions are evaluated while the target is suspended", null));
        }
        GdbStackFrame frame = context instanceof GdbStackFrame f ? f
                : context instanceof VcpuThread t ? (GdbStackFrame) t.getTopStackFrame() : null;
        String text = frame != null ? frame.evaluate(expression)
                : target.read("the value of " + expression, () -> target.session().evaluate(expression));
        return new GdbValue(target, text, false);
    }

    /** The outcome of one evaluation: a value, or gdb's error message. */
    private record Result(String getExpressionText, IValue getValue, String error, DebugException getException)
            implements IWatchExpressionResult {

        @Override
        public boolean hasErrors() {
            return error != null;
        }

        @Override
        public String[] getErrorMessages() {
            return error == null ? new String[0] : new String[] { error };
        }
    }
}
