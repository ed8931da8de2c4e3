using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>
/// The one place where failures become gRPC statuses. Domain and validation failures carry
/// google.rpc details; unexpected failures are logged and answered INTERNAL with no internals.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        var status = ToStatus(ex, context);
        Log(ex, (Code)status.Code, context);
        return status.ToRpcException();
    }

    /// <summary>
    /// Expected refusals stay quiet (Debug); refusals an operator may need to see are Information with the
    /// method and the caller's subject only; a failing dependency is a Warning with its own error; anything
    /// unexpected is an Error with its stack. Messages are never logged above Debug: they may name people.
    /// </summary>
    private void Log(Exception ex, Code code, ServerCallContext context)
    {
        switch (code)
        {
            case Code.InvalidArgument or Code.NotFound or Code.AlreadyExists or Code.FailedPrecondition or Code.Cancelled:
                LogRefused(logger, context.Method, code, ex.Message);
                break;
            case Code.PermissionDenied or Code.Aborted:
                LogDenied(logger, context.Method, code, SubjectOf(context));
                break;
            case Code.Unavailable or Code.DeadlineExceeded:
                LogDependencyFailed(logger, ex.InnerException ?? ex, context.Method, code,
                    (ex as DependencyUnavailableException)?.Dependency ?? "unknown");
                break;
            default:
                LogUnexpected(logger, ex, context.Method);
                break;
        }
    }

    private static string SubjectOf(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext().User.FindFirst("sub")?.Value ?? "anonymous";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    /// <summary>Builds the google.rpc.Status for a failure; public so tests can check the mapping without a host.</summary>
    public static Google.Rpc.Status ToStatus(Exception ex, ServerCallContext? context = null)
    {
        switch (ex)
        {
            case InvalidArgumentException invalid:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Violations.Select(v =>
                    new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
                return Status(Code.InvalidArgument, invalid.Message, badRequest);
            case NotFoundException notFound:
                return Status(Code.NotFound, notFound.Message,
                    new ResourceInfo { ResourceType = notFound.ResourceType, ResourceName = notFound.ResourceName });
            case PreconditionFailedException precondition:
                var failure = new PreconditionFailure();
                failure.Violations.Add(new PreconditionFailure.Types.Violation
                {
                    Type = precondition.Type,
                    Subject = precondition.Subject,
                    Description = precondition.Message,
                });
                return Status(Code.FailedPrecondition, precondition.Message, failure);
            case AlreadyExistsException exists:
                return Status(Code.AlreadyExists, exists.Message,
                    new ResourceInfo { ResourceType = exists.ResourceType, ResourceName = exists.ResourceName, Description = exists.Message });
            case PermissionDeniedException denied:
                return Status(Code.PermissionDenied, denied.Message);
            case DependencyUnavailableException unavailable:
                return Status(Code.Unavailable, unavailable.Message,
                    new ErrorInfo { Reason = "DEPENDENCY_UNAVAILABLE", Domain = "watershed", Metadata = { ["dependency"] = unavailable.Dependency } });
            case ConcurrencyConflictException conflict:
                return Status(Code.Aborted, conflict.Message,
                    new ResourceInfo { ResourceType = conflict.ResourceType, ResourceName = conflict.ResourceName });
            case DbUpdateConcurrencyException:
                return Status(Code.Aborted, "The object was changed by another request; read it again and retry.");
            case DbUpdateException update when update.IsUniqueViolation():
                // A create raced another with the same key and lost: the same answer as when it came second.
                return Status(Code.AlreadyExists, "It exists already: a concurrent request created it first.");
            case OperationCanceledException when context?.CancellationToken.IsCancellationRequested == true:
                return Status(Code.Cancelled, "The call was cancelled.");
            case TimeoutException:
                return Status(Code.DeadlineExceeded, "The operation timed out.");
            default:
                return Status(Code.Internal, "An internal error occurred; it has been logged.");
        }
    }

    private static Google.Rpc.Status Status(Code code, string message, Google.Protobuf.IMessage? detail = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (detail is not null)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} refused with {Code}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, Code code, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} refused with {Code} for subject {Subject}")]
    private static partial void LogDenied(ILogger logger, string method, Code code, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} answered {Code}: dependency {Dependency} failed")]
    private static partial void LogDependencyFailed(ILogger logger, Exception exception, string method, Code code, string dependency);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
