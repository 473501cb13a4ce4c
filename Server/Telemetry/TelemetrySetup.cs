using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdentityServer.Telemetry;

/// <summary>
/// OpenTelemetry: ASP.NET Core and EF Core instrumentation plus the server's own counters. A Prometheus
/// scrape endpoint (/metrics) when enabled, OTLP export when an endpoint is configured. Logs carry the
/// trace and span ids.
/// </summary>
internal static class TelemetrySetup
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, TelemetryOptions telemetry)
    {
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("IdentityServer"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(ServerMetrics.MeterName);
                if (telemetry.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (telemetry.OtlpEndpoint is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = telemetry.OtlpEndpoint);
                }
            });
        if (telemetry.OtlpEndpoint is not null)
        {
            otel.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = telemetry.OtlpEndpoint));
        }

        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app, TelemetryOptions telemetry)
    {
        if (telemetry.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        return app;
    }
}
