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
        context.UserState[MalformedRequests.HandlerEntered] = true;
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
        context.UserState[MalformedRequests.HandlerEntered] = true;
        try
        {
            return await continuation(MalformedRequests.Reading(requestStream), context);
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
        context.UserState[MalformedRequests.HandlerEntered] = true;
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
        context.UserState[MalformedRequests.HandlerEntered] = true;
        try
        {
            await continuation(MalformedRequests.Reading(requestStream), responseStream, context);
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
                LogRefused(logger, context.Method, code, Echo.Of(ex.Message, MaxMessage));
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

    /// <summary>The most characters a status message repeats (the status travels in a trailer, and is logged at Debug).</summary>
    public const int MaxMessage = 1000;

    /// <summary>The most characters of one detail text (a violation's description, a resource name, a field path).</summary>
    public const int MaxDetail = 300;

    /// <summary>The most field violations one BadRequest lists; the message says how many there were.</summary>
    public const int MaxViolations = 100;

    /// <summary>The most characters of field paths and descriptions one BadRequest lists together (at least one violation is listed).</summary>
    public const int MaxViolationText = 4000;

    /// <summary>
    /// Builds the google.rpc.Status for a failure; public so tests can check the mapping without a host. Every text is
    /// cut (<see cref="Echo"/>: control characters escaped, the rest counted) and a BadRequest lists at most
    /// <see cref="MaxViolations"/> violations of <see cref="MaxViolationText"/> characters together: the last guard, so
    /// no input makes a large status (at most about 16 KB) even where a message quoted a value without <see cref="Echo"/>.
    /// </summary>
    public static Google.Rpc.Status ToStatus(Exception ex, ServerCallContext? context = null)
    {
        switch (ex)
        {
            case InvalidArgumentException invalid:
                var badRequest = Listed(invalid.Violations);
                var message = badRequest.FieldViolations.Count < invalid.Violations.Count
                    ? $"{invalid.Violations.Count} invalid fields; the first {badRequest.FieldViolations.Count} are listed in the details. {invalid.Message}"
                    : invalid.Message;
                return Status(Code.InvalidArgument, message, badRequest);
            case NotFoundException notFound:
                return Status(Code.NotFound, notFound.Message,
                    new ResourceInfo { ResourceType = Detail(notFound.ResourceType), ResourceName = Detail(notFound.ResourceName) });
            case PreconditionFailedException precondition:
                var failure = new PreconditionFailure();
                failure.Violations.Add(new PreconditionFailure.Types.Violation
                {
                    Type = Detail(precondition.Type),
                    Subject = Detail(precondition.Subject),
                    Description = Detail(precondition.Message),
                });
                return Status(Code.FailedPrecondition, precondition.Message, failure);
            case AlreadyExistsException exists:
                return Status(Code.AlreadyExists, exists.Message,
                    new ResourceInfo { ResourceType = Detail(exists.ResourceType), ResourceName = Detail(exists.ResourceName), Description = Detail(exists.Message) });
            case PermissionDeniedException denied:
                return Status(Code.PermissionDenied, denied.Message);
            case DependencyUnavailableException unavailable:
                return Status(Code.Unavailable, unavailable.Message,
                    new ErrorInfo { Reason = "DEPENDENCY_UNAVAILABLE", Domain = "watershed", Metadata = { ["dependency"] = Detail(unavailable.Dependency) } });
            case ConcurrencyConflictException conflict:
                return Status(Code.Aborted, conflict.Message,
                    new ResourceInfo { ResourceType = Detail(conflict.ResourceType), ResourceName = Detail(conflict.ResourceName) });
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

    private static string Detail(string text) => Echo.Of(text, MaxDetail);

    private static BadRequest Listed(IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        var budget = MaxViolationText;
        foreach (var violation in violations)
        {
            var listed = new BadRequest.Types.FieldViolation { Field = Detail(violation.Field), Description = Detail(violation.Description) };
            var size = listed.Field.Length + listed.Description.Length;
            if (badRequest.FieldViolations.Count == MaxViolations || (badRequest.FieldViolations.Count > 0 && size > budget))
            {
                break;
            }

            budget -= size;
            badRequest.FieldViolations.Add(listed);
        }

        return badRequest;
    }

    private static Google.Rpc.Status Status(Code code, string message, Google.Protobuf.IMessage? detail = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = Echo.Of(message, MaxMessage) };
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
