namespace Tracker.Server.Mlflow;

/// <summary>Turns an <see cref="MlflowException"/> thrown by a handler into MLflow's error body.</summary>
internal sealed class MlflowErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MlflowException e)
        {
            return MlflowJson.Error(e.ErrorCode, e.Message);
        }
    }
}
