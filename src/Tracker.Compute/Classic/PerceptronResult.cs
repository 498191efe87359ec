namespace Tracker.Compute.Classic;

/// <summary>Outcome of the perceptron on (hopefully separable) data.</summary>
/// <param name="Weights">Weights, bias last.</param>
/// <param name="Updates">Number of mistake-driven updates.</param>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="Converged">Whether a pass made no mistake.</param>
/// <param name="Radius">R = max ‖x‖ over the bias-augmented rows.</param>
/// <param name="Margin">γ of the final separator (a lower bound on the optimal margin γ*), or 0 when not separating.</param>
/// <param name="NovikoffBound">(R/γ)² with that γ: an upper bound on Novikoff's (R/γ*)², so updates ≤ it must hold.</param>
internal sealed record PerceptronResult(double[] Weights, int Updates, int Epochs, bool Converged, double Radius, double Margin, double NovikoffBound);
